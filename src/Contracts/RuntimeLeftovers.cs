namespace ClusterPool.Contracts;

/// <summary>
/// The files every .NET process keeps in the temp folder for debuggers and diagnostic tools (<c>dotnet-counters</c>,
/// <c>dotnet-trace</c>): <c>dotnet-diagnostic-PID-KEY-socket</c> and <c>clr-debug-pipe-PID-KEY-in</c>/<c>-out</c>. The
/// runtime removes them when the process exits, but not when it is killed - and a pool stops its workers by killing
/// them (all at once, not one after another), so each pool left three files per worker in <c>/tmp</c> for ever. The
/// parent that saw a worker's exit removes them. KEY is the process's start time (Linux's <c>/proc/PID/stat</c>), read
/// while it runs, so a later process given the same id keeps its own files.
/// </summary>
internal static class RuntimeLeftovers
{
    /// <summary>The key the runtime of process <paramref name="pid"/> names its files with; null where there is none to
    /// read (not Linux, or the process is gone).</summary>
    public static string? KeyOf(int pid)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields count from the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 && ulong.TryParse(fields[19], out var startTime) ? startTime.ToString() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Removes what the runtime of exited process <paramref name="pid"/> left (nothing when
    /// <paramref name="key"/> is null).</summary>
    public static void Remove(int pid, string? key)
    {
        if (key is null) return;
        var folder = Path.GetTempPath();
        foreach (var name in (ReadOnlySpan<string>)[
                     $"dotnet-diagnostic-{pid}-{key}-socket", $"clr-debug-pipe-{pid}-{key}-in",
                     $"clr-debug-pipe-{pid}-{key}-out"])
        {
            try { File.Delete(Path.Combine(folder, name)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* not ours to remove */ }
        }
    }
}
