namespace ClusterPool.Contracts.Sharing;

/// <summary>
/// Big payloads between a pool and the worker processes it started on its own machine go through files in memory
/// (<c>/dev/shm</c>), not the network: Akka.Remote copies a 2 MiB message six times over and took ~35 ms for it, the
/// file ~1 ms. The pool writes a chunk's payload into a folder of its own (<c>clusterpool-handover-*</c>, inside the
/// user's folder for shared values, <see cref="SharedFolder"/>); the worker reads it and removes it. What the names of
/// these folders and files look like is kept here, so that a worker reads and removes only such a file.
/// </summary>
internal static class HandOverFiles
{
    /// <summary>How the name of a pool's folder for handed-over payloads begins.</summary>
    public const string FolderPrefix = "clusterpool-handover-";

    /// <summary>The file in a pool's folder that its pool holds open while it runs (<see cref="FileClaim"/>): a
    /// folder whose claim can be taken is a leftover of a pool that ended without removing it.</summary>
    public const string OwnerFile = "owner";

    /// <summary>The name of the file for the <paramref name="sent"/>-th payload a pool hands over (the same chunk sent
    /// twice gets two files: its first copy's worker removes its own).</summary>
    public static string FileName(long callId, long chunkId, long sent) => $"{callId}-{chunkId}-{sent}.payload";

    /// <summary>The name of the file for the <paramref name="sent"/>-th result payload worker process
    /// <paramref name="pid"/> hands over.</summary>
    public static string ResultFileName(int pid, long sent) => $"r{pid}-{sent}.payload";

    /// <summary>The search pattern of every <see cref="ResultFileName"/> of process <paramref name="pid"/>.</summary>
    public static string ResultFilesOf(int pid) => $"r{pid}-*.payload";

    /// <summary>
    /// Reads the payload at <paramref name="path"/> and removes the file. Only a file directly inside a hand-over
    /// folder, named as <see cref="FileName"/> names it, is read: a crafted chunk cannot make a worker read or remove
    /// another file.
    /// </summary>
    /// <exception cref="IOException">The path is not of a handed-over payload, or the file cannot be read.</exception>
    public static byte[] Take(string path) => IsHandOverFile(path) ? ReadAndRemove(path) : throw NotOne(path);

    /// <summary>The same for a pool taking a result: only a result's file (<see cref="ResultFileName"/>), only in its
    /// own <paramref name="folder"/>.</summary>
    /// <exception cref="IOException">The path is not of such a file, or the file cannot be read.</exception>
    public static byte[] TakeResult(string path, string folder) =>
        IsHandOverFile(path) && Path.GetDirectoryName(path) == folder && Path.GetFileName(path).StartsWith('r')
            ? ReadAndRemove(path)
            : throw NotOne(path);

    private static byte[] ReadAndRemove(string path)
    {
        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }

    private static IOException NotOne(string path) => new($"{path} is not a payload handed over by a pool");

    private static bool IsHandOverFile(string path)
    {
        try
        {
            return Path.IsPathFullyQualified(path) && Path.GetFullPath(path) == path
                && path.EndsWith(".payload", StringComparison.Ordinal)
                && Path.GetFileName(Path.GetDirectoryName(path)) is { } folder
                && folder.StartsWith(FolderPrefix, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return false; // not a path at all (a NUL in it, say)
        }
    }
}
