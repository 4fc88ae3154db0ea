namespace ClusterPool.Contracts.Sharing;

/// <summary>
/// A claim on a file among the processes of a machine: the file opened exclusively (on Unix .NET takes an advisory
/// lock for it, on Windows the share mode refuses others), held while the stream is open and let go by the operating
/// system however its holder ends, even by <c>kill -9</c>.
/// </summary>
internal static class FileClaim
{
    /// <summary>The claim on <paramref name="path"/> (made if missing), or null while another holds it.</summary>
    public static FileStream? TryTake(string path)
    {
        try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException) when (File.Exists(path)) { return null; }
    }
}
