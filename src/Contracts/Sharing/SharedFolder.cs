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

    public static string Of(Config config)
    {
        var root = config.HasPath(Setting) ? config.GetString(Setting, "") : "";
        if (string.IsNullOrWhiteSpace(root))
            root = OperatingSystem.IsLinux() && Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        return Path.Combine(root, $"clusterpool-shared-{Environment.UserName}");
    }
}
