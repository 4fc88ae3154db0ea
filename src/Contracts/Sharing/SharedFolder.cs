using Akka.Configuration;

namespace ClusterPool.Contracts.Sharing;

/// <summary>
/// The folder where a machine keeps the shared values its worker processes read
/// (<c>clusterpool.worker.shared.directory</c>): /dev/shm (memory, not disk) where there is one, else the temp
/// folder, with a subfolder of this user's.
/// </summary>
internal static class SharedFolder
{
    public const string Setting = "clusterpool.worker.shared.directory";

    /// <summary>
    /// Makes <paramref name="folder"/>, readable by this user only, and refuses one that is a symbolic link or open to
    /// other users: in a folder every user can write to (/dev/shm), another user could have made it first, to plant
    /// links or values.
    /// </summary>
    /// <exception cref="IOException">The folder is a link, or open to others; the message says what to do.</exception>
    public static void Make(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (new DirectoryInfo(folder).LinkTarget is { } target) throw new IOException(
            $"the folder for shared values {folder} is a link to {target}: refused (another user may have made it); " +
            $"remove it, or set {Setting}");
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
            UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if ((File.GetUnixFileMode(folder) & others) != 0) throw new IOException(
            $"the folder for shared values {folder} is open to other users ({File.GetUnixFileMode(folder)}): " +
            "refused; " +
            $"remove it, or set {Setting}");
    }

    /// <summary>True when the folder <paramref name="config"/> names is in memory (under /dev/shm).</summary>
    public static bool InMemory(Config config) =>
        Of(config).StartsWith("/dev/shm/", StringComparison.Ordinal) && Directory.Exists("/dev/shm");

    /// <summary>The folder <paramref name="config"/> names, or the default.</summary>
    public static string Of(Config config)
    {
        var root = config.HasPath(Setting) ? config.GetString(Setting, "") : "";
        if (string.IsNullOrWhiteSpace(root))
            root = OperatingSystem.IsLinux() && Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        return Path.Combine(root, $"clusterpool-shared-{Environment.UserName}");
    }
}
