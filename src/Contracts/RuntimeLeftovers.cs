namespace ClusterPool.Contracts;

/// <summary>
/// The files a .NET process keeps in the temp folder for debuggers and diagnostic tools (<c>dotnet-counters</c>,
/// <c>dotnet-trace</c>): <c>dotnet-diagnostic-PID-KEY-socket</c> and <c>clr-debug-pipe-PID-KEY-in</c>/<c>-out</c>. The
/// runtime removes them when the process exits, but not when it is killed - and a pool stops its workers by killing
/// them (all at once, not one after another), so each pool left three files per worker in <c>/tmp</c> for ever. The
/// parent that saw a worker's exit removes them. KEY is the process's start time (Linux's <c>/proc/PID/stat</c>), read
/// while it runs (<see cref="Of"/>), so a later process given the same id keeps its own files.
/// </summary>
/// <param name="Pid">The process.</param>
/// <param name="Key">Its start time as the runtime names its files with; null where there is none to read (not Linux,
/// or the process is gone).</param>
internal readonly record struct RuntimeLeftovers(int Pid, string? Key)
{
    /// <summary>The files of process <paramref name="pid"/>, named while it runs.</summary>
    public static RuntimeLeftovers Of(int pid) => new(pid, KeyOf(pid));

    private static string? KeyOf(int pid)
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

    /// <summary>The files' paths (none when the key is unknown).</summary>
    public IEnumerable<string> Paths => Key is null ? [] : new[]
    {
        $"dotnet-diagnostic-{Pid}-{Key}-socket", $"clr-debug-pipe-{Pid}-{Key}-in", $"clr-debug-pipe-{Pid}-{Key}-out",
    }.Select(name => Path.Combine(Path.GetTempPath(), name));

    /// <summary>Removes what the runtime of the process left, once it has exited.</summary>
    public void Remove()
    {
        foreach (var path in Paths)
        {
            try { File.Delete(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* not ours to remove */ }
        }
    }
}
