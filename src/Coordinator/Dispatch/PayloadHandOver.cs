using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Sharing;

namespace ClusterPool.Dispatch;

/// <summary>
/// Hands big chunk payloads to the worker processes this pool started on its own machine through files in memory
/// instead of the network (<see cref="HandOverFiles"/>). The pool keeps each chunk's bytes while it is in flight, so a
/// file is only a way there: the worker removes it once read, and what no worker read (the worker died first, the call
/// ended) is removed once its chunk is no longer in flight (<see cref="Sweep"/>), the folder when the pool stops, and
/// a folder left by a pool that was killed when the next pool of this user starts. Should a file fail to be written or
/// read, payloads go over the network from then on. Plain class, driven by the coordinator actor only.
/// </summary>
internal sealed class PayloadHandOver : IDisposable
{
    private readonly string _root;
    private readonly long _above;
    private readonly Action<long> _handedOver;
    private readonly List<(string File, ChunkKey Key)> _files = [];
    private string? _folder;
    private FileStream? _claim;
    private EventHandler? _atExit;
    private long _sent;

    /// <param name="root">The user's folder for shared values on this machine (<see cref="SharedFolder"/>).</param>
    /// <param name="above">Payloads of more bytes than this are handed over; 0: none.</param>
    /// <param name="handedOver">Told the bytes of each payload handed over (the pool's statistics).</param>
    public PayloadHandOver(string root, long above, Action<long>? handedOver = null)
    {
        // in normal form: a worker reads only a path that is (HandOverFiles.Take)
        (_root, _above, _handedOver) = (root.Length == 0 ? root : Path.GetFullPath(root), above,
            handedOver ?? (_ => { }));
        if (above <= 0) Off = "off by setting (clusterpool.local-workers.hand-over-above = 0)";
    }

    /// <summary>Why payloads no longer go through memory, or null while they do.</summary>
    public string? Off { get; private set; }

    /// <summary>Payloads of more bytes than this are handed over.</summary>
    public long Above => _above;

    /// <summary>The folder of this pool's files, once made.</summary>
    public string? Folder => _folder;

    /// <summary>
    /// This pool's folder (made now if need be), or null while hand-over is off; a folder that cannot be made turns it
    /// off. Told to the workers this pool starts, for their results (<see cref="Welcome.HandOverFolder"/>).
    /// </summary>
    public string? MadeFolder()
    {
        if (Off is not null) return null;
        try { return _folder ??= MakeFolder(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TurnOff($"a hand-over folder could not be written in {_root}: {e.Message}");
            return null;
        }
    }

    /// <summary>The payload of a result a worker handed over, read and its file removed.</summary>
    /// <exception cref="IOException">It is not a file of this pool's folder, or cannot be read.</exception>
    public byte[] TakeResult(string file)
    {
        var bytes = HandOverFiles.TakeResult(file, _folder ?? throw new IOException(
            $"{file} is not a payload handed over to this pool: it has no folder"));
        _handedOver(bytes.Length);
        return bytes;
    }

    /// <summary>
    /// The chunk as it is to be sent to <paramref name="slot"/>: with its payload in a file when the slot's process
    /// runs on this machine and the payload is big, else as it is. A file that cannot be written turns hand-over off
    /// (the reason in <see cref="Off"/>) and the chunk goes as it is.
    /// </summary>
    public Chunk For(Chunk chunk, Slot slot)
    {
        if (Off is not null || !slot.Embedded || chunk.PayloadFile is not null || chunk.Payload.Length <= _above
            || MadeFolder() is not { } folder)
            return chunk;
        var file = Path.Combine(folder, HandOverFiles.FileName(chunk.CallId, chunk.ChunkId, ++_sent));
        try
        {
            File.WriteAllBytes(file, chunk.Payload);
            _files.Add((file, ChunkKey.Of(chunk)));
            _handedOver(chunk.Payload.Length);
            return chunk with { Payload = [], PayloadFile = file };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(file); // what was written of it (the folder is full)
            TurnOff($"a payload could not be written in {folder}: {e.Message}");
            return chunk;
        }
    }

    /// <summary>Payloads go over the network from now on; the files written so far are still removed in
    /// time.</summary>
    public void TurnOff(string why) => Off ??= why;

    /// <summary>Removes the files of chunks no longer in flight that no worker read.</summary>
    public void Sweep(Func<ChunkKey, bool> inFlight)
    {
        if (_files.Count == 0) return;
        _files.RemoveAll(entry =>
        {
            if (inFlight(entry.Key)) return false;
            TryDelete(entry.File);
            return true;
        });
    }

    /// <summary>
    /// Removes the result files worker process <paramref name="pid"/> wrote that no message named: once everything it
    /// sent has been read, a file left is one it wrote as it was killed, and would have stayed until the pool stopped.
    /// </summary>
    public void RemoveResultsOf(int pid)
    {
        if (_folder is null) return;
        try
        {
            foreach (var file in Directory.EnumerateFiles(_folder, HandOverFiles.ResultFilesOf(pid))) TryDelete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the folder goes at the end
    }

    /// <summary>Removes the folder and what is left in it.</summary>
    public void Dispose()
    {
        _files.Clear();
        if (_atExit is not null) AppDomain.CurrentDomain.ProcessExit -= _atExit;
        RemoveFolder(_folder, _claim);
        (_folder, _claim, _atExit) = (null, null, null);
    }

    private static void RemoveFolder(string? folder, FileStream? claim)
    {
        if (folder is null) return;
        try { Directory.Delete(folder, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the next pool removes it
        claim?.Dispose();
    }

    /// <summary>
    /// Makes this pool's folder: first under a name the leftover sweep does not look at, claimed, then renamed, so
    /// that another pool starting at the same moment never takes it for a leftover.
    /// </summary>
    private string MakeFolder()
    {
        SharedFolder.Make(_root);
        RemoveLeftovers(_root);
        var name = $"{HandOverFiles.FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}";
        var making = Path.Combine(_root, "." + name);
        Directory.CreateDirectory(making);
        _claim = FileClaim.TryTake(Path.Combine(making, HandOverFiles.OwnerFile))
            ?? throw new IOException($"{making} is in use");
        var folder = Path.Combine(_root, name);
        Directory.Move(making, folder);
        // a program that exits with its pool still running (never disposed) takes its folder with it
        var claim = _claim;
        _atExit = (_, _) => RemoveFolder(folder, claim);
        AppDomain.CurrentDomain.ProcessExit += _atExit;
        return folder;
    }

    /// <summary>
    /// Removes the hand-over folders of pools that ended without removing them (killed): those whose claim is free,
    /// and those killed while being made (under their first name) a minute ago or more.
    /// </summary>
    public static void RemoveLeftovers(string root)
    {
        foreach (var folder in Directory.EnumerateDirectories(root, HandOverFiles.FolderPrefix + "*"))
        {
            try
            {
                // held while the folder goes: another pool sweeping at the same moment finds it taken, or gone
                using var claim = FileClaim.TryTake(Path.Combine(folder, HandOverFiles.OwnerFile));
                if (claim is not null) Directory.Delete(folder, recursive: true); // else its pool runs
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // another pool took it
        }
        foreach (var folder in Directory.EnumerateDirectories(root, "." + HandOverFiles.FolderPrefix + "*"))
        {
            try
            {
                if (DateTime.UtcNow - Directory.GetCreationTimeUtc(folder) > TimeSpan.FromMinutes(1))
                    Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
