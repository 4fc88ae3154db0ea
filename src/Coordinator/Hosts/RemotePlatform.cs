namespace ClusterPool.Hosts;

/// <summary>
/// What a host runs, from its <c>uname -s</c> and <c>uname -m</c>, as a .NET runtime identifier: whether this
/// machine's runtime, its app's native files and a ReadyToRun worker host can run there.
/// </summary>
internal static class RemotePlatform
{
    /// <summary>The runtime identifier (<c>linux-x64</c>, <c>osx-arm64</c>), or null for a system .NET does not
    /// run on.</summary>
    public static string? RuntimeIdentifier(string system, string machine)
    {
        var os = system switch { "Linux" => "linux", "Darwin" => "osx", "FreeBSD" => "freebsd", _ => null };
        var architecture = machine switch
        {
            "x86_64" or "amd64" => "x64",
            "aarch64" or "arm64" => "arm64",
            "armv7l" or "armv7" => "arm",
            "s390x" => "s390x",
            "ppc64le" => "ppc64le",
            "riscv64" => "riscv64",
            "loongarch64" => "loongarch64",
            _ => null,
        };
        return os is null || architecture is null ? null : $"{os}-{architecture}";
    }

    /// <summary>
    /// True when an app's <c>runtimes/FOLDER</c> is for <paramref name="rid"/>: its own, its system's
    /// (<c>linux</c>), or any Unix's.
    /// </summary>
    public static bool ServesRuntime(string folder, string rid)
    {
        var os = rid[..rid.IndexOf('-')];
        return folder == rid || folder == os || (folder == "unix" && os != "win");
    }

    /// <summary>True for a folder name that is a runtime identifier (<c>win-x64</c>, <c>linux-musl-arm64</c>): a
    /// build for another platform, or a publish folder, beside the app's own files.</summary>
    public static bool IsRuntimeIdentifierFolder(string name) =>
        name.Contains('-') && name.Split('-')[0] is "win" or "linux" or "osx" or "freebsd" or "android" or "ios";
}
