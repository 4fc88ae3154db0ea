using System.Diagnostics;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>Checks on real processes: the tests' way of proving that nothing is left behind.</summary>
public static class Processes
{
    /// <summary>The process's command line (its arguments joined by spaces), or "" once it is gone.</summary>
    public static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return ""; }
    }

    /// <summary>Kills the process (SIGKILL), if it still runs.</summary>
    public static void Kill(int pid)
    {
        try { System.Diagnostics.Process.GetProcessById(pid).Kill(); }
        catch (ArgumentException) { /* gone */ }
        catch (InvalidOperationException) { /* gone */ }
    }

    public static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited) return false;
            // A zombie (exited, not yet reaped) counts as gone.
            var stat = $"/proc/{pid}/stat";
            return !File.Exists(stat) || !File.ReadAllText(stat).Split(')')[1].TrimStart().StartsWith('Z');
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>Fails unless every process in <paramref name="pids"/> is gone within <paramref name="within"/> (default 5 s).</summary>
    public static void AssertAllExited(IEnumerable<int> pids, TimeSpan? within = null)
    {
        var list = pids.ToList();
        Wait.For(() => list.Where(IsRunning).ToList(), running => running.Count == 0, within ?? TimeSpan.FromSeconds(5),
            $"worker processes [{string.Join(", ", list)}] to exit");
    }

    /// <summary>The parent process id of <paramref name="pid"/> (read from /proc), or 0 if it is gone.</summary>
    public static int ParentOf(int pid)
    {
        try { return int.Parse(File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]); }
        catch (IOException) { return 0; }
    }

    /// <summary>Pids of the worker processes whose parent is <paramref name="parentPid"/> (read from /proc), spares included.</summary>
    public static List<int> WorkersOf(int parentPid) => WorkersOf(parentPid, spares: true);

    /// <summary>
    /// Pids of the worker processes of <paramref name="parentPid"/>'s pool: those not started as spares for a next pool
    /// (in a program that makes one pool, as the demo, no spare is ever adopted).
    /// </summary>
    public static List<int> PoolWorkersOf(int parentPid) => WorkersOf(parentPid, spares: false);

    private static List<int> WorkersOf(int parentPid, bool spares)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains("clusterpool-worker") && cmdline.Contains($"--parent-pid {parentPid}") && (spares || !cmdline.Contains(" --spare")))
                    found.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>Reads a started process's output as it comes, into <paramref name="log"/>, so a full pipe never blocks it.</summary>
    public static Process Drained(Process process, Xunit.Abstractions.ITestOutputHelper log)
    {
        void Write(string? line)
        {
            if (line is null) return;
            try { log.WriteLine($"[{process.Id}] {line}"); } catch (InvalidOperationException) { } // after the test ended
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Kills a process and its children, ignoring one that is already gone.</summary>
    public static void KillTree(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        process.WaitForExit(5000);
    }
}
