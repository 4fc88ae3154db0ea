using System.Diagnostics;

namespace ClusterPool.Contracts.Sharing;

/// <summary>
/// Which processes of this machine use a shared value's file: each leaves a marker beside it
/// (<c>HASH.PID-START.user</c>, its start time telling a reused pid apart). A file whose markers all name processes
/// that are gone is nobody's and is deleted, by whoever looks next: the last process to let it go, or, after a
/// <c>kill -9</c>, the next worker to use the folder.
/// </summary>
internal static class ShareUsers
{
    /// <summary>This process's name in markers: <c>PID-START</c>.</summary>
    public static string Me { get; } = NameOf(Process.GetCurrentProcess());

    /// <summary>How markers name <paramref name="process"/>: <c>PID-START</c>.</summary>
    public static string NameOf(Process process) => $"{process.Id}-{StartTicks(process)}";

    /// <summary>This process uses the value stored at <paramref name="file"/>.</summary>
    public static void Join(string file) => File.WriteAllBytes(Marker(file, Me), []);

    /// <summary>This process let the value go: its marker goes, and the file too when no live process uses
    /// it.</summary>
    public static void Leave(string file)
    {
        if (!Directory.Exists(Path.GetDirectoryName(file))) return;
        TryDelete(Marker(file, Me));
        if (LiveUsers(file) > 0) return;
        TryDelete(file);
        DeleteDownloadLock(file);
    }

    /// <summary>Deletes the files in <paramref name="directory"/> that no live process uses, dead processes'
    /// markers, and downloads that killed processes left half-done.</summary>
    public static void Prune(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith(".part", StringComparison.Ordinal)) DeleteUnfinished(file);
            if (name.Contains('.')) continue; // markers and downloads; a value's file is its bare hash
            // A file just made may not have its first user's marker yet.
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) < TimeSpan.FromMinutes(1)) continue;
            if (LiveUsers(file) == 0) TryDelete(file);
        }
    }

    /// <summary>A download a killed process left half-done (its lock is free), unless it is recent.</summary>
    private static void DeleteUnfinished(string part)
    {
        if (DateTime.UtcNow - File.GetLastWriteTimeUtc(part) < TimeSpan.FromMinutes(1)) return;
        using var claim = FileClaim.TryTake(part[..^".part".Length] + ".lock");
        if (claim is not null) TryDelete(part);
    }

    /// <summary>The file's download lock goes too, unless a process holds it (downloading it again, shared
    /// anew).</summary>
    private static void DeleteDownloadLock(string file)
    {
        using var claim = FileClaim.TryTake(file + ".lock");
        if (claim is not null) TryDelete(file + ".lock");
    }

    /// <summary>How many live processes use <paramref name="file"/>; dead ones' markers are deleted on the
    /// way.</summary>
    private static int LiveUsers(string file)
    {
        var live = 0;
        var prefix = Path.GetFileName(file) + ".";
        foreach (var marker in Directory.EnumerateFiles(Path.GetDirectoryName(file)!, prefix + "*.user"))
        {
            var user = Path.GetFileName(marker)[prefix.Length..^".user".Length];
            if (IsAlive(user)) live++;
            else TryDelete(marker);
        }
        return live;
    }

    /// <summary>Whether the process named <c>PID-START</c> still runs.</summary>
    public static bool IsAlive(string user)
    {
        if (user == Me) return true;
        var dash = user.IndexOf('-');
        if (dash < 0 || !int.TryParse(user[..dash], out var pid)) return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            return StartTicks(process).ToString() == user[(dash + 1)..];
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException
                                       or System.ComponentModel.Win32Exception) { return false; }
    }


    /// <summary>
    /// When the process started, exactly: on Linux the clock ticks since boot in <c>/proc/PID/stat</c> (.NET's
    /// <c>StartTime</c> adds a boot time it works out anew at each call, which moves by a tick or two); elsewhere
    /// <c>StartTime</c>.
    /// </summary>
    private static long StartTicks(Process process)
    {
        if (!OperatingSystem.IsLinux()) return process.StartTime.ToUniversalTime().Ticks;
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        // after the command's name in parentheses (which may hold spaces): state is field 3, start time field 22
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[19], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Marker(string file, string user) => $"{file}.{user}.user";

    public static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* in use (Windows), or gone */ }
    }
}
