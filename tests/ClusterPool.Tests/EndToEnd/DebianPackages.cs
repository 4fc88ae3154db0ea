using System.Diagnostics;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// What the end-to-end tests need beyond the .NET SDK: Debian's Chromium (the dashboard), Wine (Windows) and OpenSSH's
/// server (machines over SSH). Installed on first use where the tests run as root with apt-get, as <c>.ci/run</c> does,
/// so that the README's test command runs them all on a fresh Debian machine; elsewhere the caller says how.
/// </summary>
public static class DebianPackages
{
    private static readonly Lock Gate = new();
    private static bool _listsUpdated;

    /// <summary>
    /// Makes sure <paramref name="file"/> exists, installing <paramref name="package"/> when it does not; null when it
    /// exists afterwards, else why not and how to install it.
    /// </summary>
    public static string? Ensure(string file, string package)
    {
        if (File.Exists(file)) return null;
        var how = $"install it with `sudo apt-get install -y {package}` (Debian's package; .ci/run installs it when it runs as root)";
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess || !File.Exists("/usr/bin/apt-get"))
            return $"{file} is missing: {how}";
        lock (Gate)
        {
            if (File.Exists(file)) return null;
            if (!_listsUpdated)
            {
                if (AptGet(["update", "-qq"]) is { } updateFailed) return $"{updateFailed}; {how}";
                _listsUpdated = true;
            }
            if (WithoutServiceStarts(() => AptGet(["install", "-y", "-qq", package])) is { } installFailed)
                return $"{installFailed}; {how}";
        }
        return File.Exists(file) ? null : $"apt-get installed {package}, but {file} is missing; {how}";
    }

    /// <summary>
    /// An install must start no service (openssh-server's would be an sshd on port 22 of every address of this box).
    /// Debian's container images deny every start in /usr/sbin/policy-rc.d; where that file is missing, one says so for
    /// the install's length.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static string? WithoutServiceStarts(Func<string?> install)
    {
        const string policy = "/usr/sbin/policy-rc.d";
        if (File.Exists(policy)) return install();
        File.WriteAllText(policy, "#!/bin/sh\nexit 101\n");
        File.SetUnixFileMode(policy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try { return install(); }
        finally { File.Delete(policy); }
    }

    /// <summary>Runs apt-get (10 minutes at most); null when it succeeded, else what it said.</summary>
    private static string? AptGet(string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/apt-get")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var apt = Process.Start(info)!;
        var stdout = apt.StandardOutput.ReadToEndAsync();
        var stderr = apt.StandardError.ReadToEndAsync();
        if (!apt.WaitForExit(TimeSpan.FromMinutes(10))) Processes.KillTree(apt);
        apt.WaitForExit();
        if (apt.ExitCode == 0) return null;
        var said = stderr.Result + stdout.Result;
        return $"apt-get {string.Join(' ', args)} failed ({apt.ExitCode}): {(said.Length <= 2000 ? said : said[^2000..])}";
    }
}
