namespace ClusterPool.Bench;

/// <summary>A process's CPU time, threads and resident memory, read from <c>/proc</c> (Linux), as idle.py reads them.</summary>
internal static class ProcessStats
{
    // Linux reports CPU time in clock ticks of 1/100 s (USER_HZ) on every platform .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>User + system CPU seconds the process has used so far; 0 if it is gone.</summary>
    public static double CpuSeconds(int pid) => Fields(pid) is { } f ? (long.Parse(f[11]) + long.Parse(f[12])) / TicksPerSecond : 0;

    /// <summary>How many threads the process has now.</summary>
    public static int Threads(int pid) => Directory.Exists($"/proc/{pid}/task") ? Directory.GetDirectories($"/proc/{pid}/task").Length : 0;

    /// <summary>The process's resident set now, in MiB.</summary>
    public static double RssMiB(int pid)
    {
        foreach (var line in ReadOrEmpty($"/proc/{pid}/status").Split('\n'))
            if (line.StartsWith("VmRSS:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        return 0;
    }

    /// <summary>
    /// The process's anonymous memory now, in MiB: its heap and stacks, its own and nobody else's (a mapped file's
    /// pages are not in it).
    /// </summary>
    public static double AnonymousMiB(int pid)
    {
        foreach (var line in ReadOrEmpty($"/proc/{pid}/smaps_rollup").Split('\n'))
            if (line.StartsWith("Anonymous:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        return 0;
    }

    /// <summary>
    /// The process's proportional set now, in MiB: its private pages, and each page it shares with others divided by
    /// how many share it. Summed over processes, a file they all map counts once.
    /// </summary>
    public static double PssMiB(int pid)
    {
        foreach (var line in ReadOrEmpty($"/proc/{pid}/smaps_rollup").Split('\n'))
            if (line.StartsWith("Pss:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        return 0;
    }

    /// <summary>The resident sets of a process and all its descendants now, in MiB.</summary>
    public static double RssMiBOfTree(int pid) => Tree(pid).Sum(RssMiB);

    /// <summary>A process and all its descendants (from each process's parent in <c>/proc</c>).</summary>
    public static List<int> Tree(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var child) && Fields(child) is { } f) parents[child] = int.Parse(f[1]);
        var tree = new List<int> { pid };
        for (var i = 0; i < tree.Count; i++) tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        return tree;
    }

    /// <summary>The TCP port process <paramref name="pid"/> listens on (a worker's Akka.Remote endpoint), or null.</summary>
    public static int? ListeningPort(int pid)
    {
        var sockets = Directory.GetFiles($"/proc/{pid}/fd")
            .Select(fd => { try { return new FileInfo(fd).LinkTarget; } catch (IOException) { return null; } })
            .Where(target => target is not null && target.StartsWith("socket:["))
            .Select(target => target![8..^1]).ToHashSet();
        foreach (var line in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.SelectMany(table => File.ReadLines(table).Skip(1)))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f[3] == "0A" && sockets.Contains(f[9])) return Convert.ToInt32(f[1].Split(':')[1], 16); // 0A: listening
        }
        return null;
    }

    /// <summary>The fields of <c>/proc/PID/stat</c> after the command name (which may hold spaces), or null.</summary>
    private static string[]? Fields(int pid)
    {
        var stat = ReadOrEmpty($"/proc/{pid}/stat");
        var end = stat.LastIndexOf(')');
        return end < 0 ? null : stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string ReadOrEmpty(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return ""; }
    }
}
