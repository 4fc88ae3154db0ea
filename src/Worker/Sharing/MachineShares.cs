using ClusterPool.Contracts.Serialization;
using ClusterPool.Contracts.Sharing;

namespace ClusterPool.Worker.Sharing;

/// <summary>
/// The shared values this worker process reads (<see cref="ISharedValueSource"/>), from its machine's folder: a value
/// crosses to the machine once (<see cref="SharedDownload"/>), then each process reads a serialized value once and
/// keeps it, or maps an array without a copy. When the pool frees a value (<see cref="Forget"/>), this process lets its
/// copy go once its running tasks end (a task may still hold the array's memory), and the machine's file goes with its
/// last user (<see cref="ShareUsers"/>).
/// </summary>
internal sealed class MachineShares : ISharedValueSource
{
    /// <summary>What this process holds of one value.</summary>
    private sealed class Held(string file)
    {
        public string File { get; } = file;
        public object? Value;
        public MappedArray? Mapping;
    }

    private readonly SharingSettings _settings;
    private readonly SharedDownload _download;
    private readonly Dictionary<string, Held> _held = [];
    private readonly List<Held> _letGoLater = [];
    private readonly Lock _lock = new();
    private int _runningTasks;

    private MachineShares(SharingSettings settings, Func<object, TimeSpan, Task<object>> ask)
    {
        _settings = settings;
        _download = new SharedDownload(settings, ask);
    }

    /// <summary>This process's, once its worker host started.</summary>
    public static MachineShares? Current { get; private set; }

    /// <summary>
    /// Makes this process read shared values from <paramref name="settings"/>' folder, fetching what the machine lacks
    /// with <paramref name="ask"/> (a request to the pool's sharing server, and its timeout).
    /// </summary>
    public static void Install(SharingSettings settings, Func<object, TimeSpan, Task<object>> ask)
    {
        var shares = new MachineShares(settings, ask);
        Current = shares;
        SharedValues.Install(shares);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => shares.LetAllGo();
    }

    public T Read<T>(SharedKey key)
    {
        var held = Hold(key);
        lock (held)
            return (T)(held.Value ??= PayloadSerializer.Deserialize<T>(File.ReadAllBytes(held.File), key.Describe())!);
    }

    public ReadOnlyMemory<T> Map<T>(SharedKey key) where T : unmanaged
    {
        if (key.Bytes == 0) return ReadOnlyMemory<T>.Empty; // nothing to map
        var held = Hold(key);
        lock (held) return (held.Mapping ??= MappedArray.Open(held.File, key.Bytes)).Memory<T>();
    }

    private Held Hold(SharedKey key)
    {
        lock (_lock)
            if (_held.TryGetValue(key.Hash, out var known)) return known;
        // Not under the lock: a download takes a while, and tasks may read other values meanwhile.
        var file = Path.Combine(MakeFolder(), key.Hash);
        ShareUsers.Join(file);
        _download.Ensure(key, file);
        lock (_lock)
        {
            if (!_held.TryGetValue(key.Hash, out var held)) _held[key.Hash] = held = new Held(file);
            return held;
        }
    }

    private int _folderMade;

    /// <summary>The folder, made (this user's only) and tidied of what dead processes left, the first time.</summary>
    private string MakeFolder()
    {
        var folder = _settings.Directory;
        if (Interlocked.Exchange(ref _folderMade, 1) == 1) return folder;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        ShareUsers.Prune(folder);
        return folder;
    }

    /// <summary>The pool freed the value named by <paramref name="hash"/>.</summary>
    public void Forget(string hash)
    {
        Held? held;
        lock (_lock)
        {
            if (!_held.Remove(hash, out held)) held = null;
            else if (_runningTasks > 0)
            {
                _letGoLater.Add(held);
                return;
            }
        }
        if (held is not null) LetGo(held);
        else ShareUsers.Leave(Path.Combine(_settings.Directory, hash)); // used by none of this process's tasks
    }

    /// <summary>A task starts on one of this process's slots.</summary>
    public void TaskStarts() => Interlocked.Increment(ref _runningTasks);

    /// <summary>A task ended: once none runs, the values the pool freed meanwhile are let go.</summary>
    public void TaskEnded()
    {
        Held[] letGo;
        lock (_lock)
        {
            if (--_runningTasks > 0 || _letGoLater.Count == 0) return;
            letGo = [.. _letGoLater];
            _letGoLater.Clear();
        }
        foreach (var held in letGo) LetGo(held);
    }

    private static void LetGo(Held held)
    {
        lock (held)
        {
            held.Mapping?.Dispose();
            held.Mapping = null;
            held.Value = null;
        }
        ShareUsers.Leave(held.File);
    }

    /// <summary>The process exits: its markers go, and files no live process uses.</summary>
    private void LetAllGo()
    {
        Held[] all;
        lock (_lock) all = [.. _held.Values, .. _letGoLater];
        foreach (var held in all) ShareUsers.Leave(held.File); // no unmapping: a task may run to the last moment
    }
}
