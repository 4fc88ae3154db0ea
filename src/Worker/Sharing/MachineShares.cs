using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Contracts.Sharing;

namespace ClusterPool.Worker.Sharing;

/// <summary>
/// The shared values this worker process reads (<see cref="ISharedValueSource"/>), from its machine's folder: a value
/// crosses to the machine once (<see cref="SharedDownload"/>), then each process reads a serialized value once and
/// keeps it, or maps an array without a copy. When the pool frees a value (<see cref="Forget"/>), this process lets its
/// copy go once the running tasks that read it end (a task may still hold the array's memory), and the machine's file
/// goes with its last user (<see cref="ShareUsers"/>).
/// </summary>
internal sealed class MachineShares : ISharedValueSource
{
    /// <summary>What this process holds of one value, and how many running tasks read it.</summary>
    private sealed class Held(string hash, string file)
    {
        public string Hash { get; } = hash;
        public string File { get; } = file;
        public object? Value;
        public MappedArray? Mapping;
        public int Readers; // running tasks that read it (under the shares' lock)
        public bool Freed; // the pool freed it: let go when the last reader ends
    }

    private readonly SharingSettings _settings;
    private readonly SharedDownload _download;
    private readonly Dictionary<string, Held> _held = [];
    private readonly Lock _lock = new();

    // The values the task running on this flow of execution read (set when a chunk starts; async code keeps it).
    private readonly AsyncLocal<List<Held>?> _readByTask = new();

    private MachineShares(SharingSettings settings, Func<object, TimeSpan, Task<object>> ask)
    {
        _settings = settings;
        _download = new SharedDownload(settings, ask);
    }

    /// <summary>This process's, once its worker host started.</summary>
    public static MachineShares? Current { get; private set; }

    /// <summary>
    /// Makes this process read shared values from <paramref name="settings"/>' folder, fetching what the machine lacks
    /// with <paramref name="ask"/> (a request to the pool's sharing server, and its timeout). What killed workers left
    /// in the folder goes first.
    /// </summary>
    public static void Install(SharingSettings settings, Func<object, TimeSpan, Task<object>> ask)
    {
        var shares = new MachineShares(settings, ask);
        Current = shares;
        SharedValues.Install(shares);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => shares.LetAllGo();
        if (Directory.Exists(settings.Directory)) Quietly(() => ShareUsers.Prune(settings.Directory));
    }

    public T Read<T>(SharedKey key) => Retried(key, held =>
    {
        lock (held)
            return (T)(held.Value ??= PayloadSerializer.Deserialize<T>(File.ReadAllBytes(held.File), key.Describe())!);
    });

    public ReadOnlyMemory<T> Map<T>(SharedKey key) where T : unmanaged
    {
        if (key.Bytes == 0) return ReadOnlyMemory<T>.Empty; // nothing to map
        return Retried(key, held =>
        {
            lock (held) return (held.Mapping ??= MappedArray.Open(held.File, key.Bytes)).Memory<T>();
        });
    }

    /// <summary>
    /// Reads the machine's file with <paramref name="read"/>; once more from the start if the file went meanwhile (its
    /// last user left as this task began: fetched again, or, if the pool freed the value, a clear error).
    /// </summary>
    private TResult Retried<TResult>(SharedKey key, Func<Held, TResult> read)
    {
        var held = Hold(key);
        try { return read(held); }
        catch (FileNotFoundException)
        {
            lock (_lock)
                if (_held.TryGetValue(key.Hash, out var known) && known == held) _held.Remove(key.Hash);
            return read(Hold(key));
        }
    }

    private Held Hold(SharedKey key)
    {
        Held? held;
        lock (_lock) _held.TryGetValue(key.Hash, out held);
        if (held is null)
        {
            // Not under the lock: a download takes a while, and tasks may read other values meanwhile.
            var file = Path.Combine(MakeFolder(), key.Hash);
            ShareUsers.Join(file);
            _download.Ensure(key, file);
            lock (_lock)
                if (!_held.TryGetValue(key.Hash, out held)) _held[key.Hash] = held = new Held(key.Hash, file);
        }
        lock (_lock)
            if (_readByTask.Value is { } read && !read.Contains(held))
            {
                read.Add(held);
                held.Readers++;
            }
        return held;
    }

    private int _folderMade;

    /// <summary>The folder, made (this user's only) the first time.</summary>
    private string MakeFolder()
    {
        var folder = _settings.Directory;
        if (Interlocked.Exchange(ref _folderMade, 1) == 1 && Directory.Exists(folder)) return folder;
        SharedFolder.Make(folder);
        return folder;
    }

    /// <summary>The pool freed the value named by <paramref name="hash"/>.</summary>
    public void Forget(string hash)
    {
        Held? held;
        lock (_lock)
        {
            if (!_held.Remove(hash, out held)) held = null;
            else
            {
                held.Freed = true;
                if (held.Readers > 0) return; // let go when the last task that read it ends
            }
        }
        Quietly(() =>
        {
            if (held is not null) LetGo(held);
            else ShareUsers.Leave(Path.Combine(_settings.Directory, hash)); // read by none of this process's tasks
        });
    }

    /// <summary>A task starts on one of this process's slots (on the thread that runs it).</summary>
    public void TaskStarts() => _readByTask.Value = [];

    /// <summary>A task ended: the values the pool freed meanwhile, and that no other running task reads, are let
    /// go.</summary>
    public void TaskEnded()
    {
        var read = _readByTask.Value;
        _readByTask.Value = null;
        if (read is null) return;
        List<Held> letGo = [];
        lock (_lock)
            foreach (var held in read)
                if (--held.Readers == 0 && held.Freed) letGo.Add(held);
        foreach (var held in letGo) Quietly(() => LetGo(held));
    }

    private void LetGo(Held held)
    {
        lock (held)
        {
            held.Mapping?.Dispose();
            held.Mapping = null;
            held.Value = null;
        }
        // Shared again meanwhile: the new entry uses the same marker and file.
        lock (_lock)
            if (_held.ContainsKey(held.Hash)) return;
        ShareUsers.Leave(held.File);
    }

    /// <summary>The process exits: its markers go, and files no live process uses.</summary>
    private void LetAllGo()
    {
        Held[] all;
        lock (_lock) all = [.. _held.Values];
        foreach (var held in all) Quietly(() => ShareUsers.Leave(held.File)); // no unmapping: tasks may still run
    }

    /// <summary>Tidying the folder must not fail a task or the host (the folder may have been removed under
    /// it).</summary>
    private static void Quietly(Action tidy)
    {
        try { tidy(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ProcessConsole.Error.WriteLine($"clusterpool worker: tidying shared values failed: {e.Message}");
        }
    }
}
