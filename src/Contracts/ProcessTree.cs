using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ClusterPool.Contracts;

/// <summary>
/// Killing processes together with everything they started. .NET's <c>Process.Kill(entireProcessTree: true)</c> reads
/// every process's <c>/proc</c> entry for each process it kills; stopping 64 workers that way read /proc 64 times
/// over. Here /proc is read once for all of them, and every process of every tree gets SIGKILL at once.
/// A worker process also leads its own process group (<see cref="LeadOwnGroup"/>), which everything a task starts
/// joins: when the worker is gone, however it ended, its parent kills that group (<see cref="KillGroup"/>), so no
/// process a task started outlives its worker, even one orphaned and adopted by init.
/// </summary>
public static class ProcessTree
{
    private const int SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    [DllImport("libc", EntryPoint = "setpgid", SetLastError = true)]
    private static extern int SetProcessGroup(int pid, int group);

    [DllImport("libc", EntryPoint = "getpgid", SetLastError = true)]
    private static extern int GetProcessGroup(int pid);

    /// <summary>
    /// Ends this process at once, and with it its group (what its tasks started) if it leads one; otherwise only
    /// itself. For a worker whose parent died: no one else is left to kill that group.
    /// </summary>
    public static void KillOwnGroup()
    {
        if ((OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && GetProcessGroup(0) == Environment.ProcessId)
            SendSignal(0, SigKill); // 0: every process of this process's group, this one included
        Process.GetCurrentProcess().Kill();
    }

    /// <summary>
    /// Makes this process the leader of a new process group (Linux, macOS): what it starts joins that group. Ctrl+C in a
    /// terminal then no longer reaches it directly, which a worker wants anyway: its parent stops it.
    /// </summary>
    public static void LeadOwnGroup()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) SetProcessGroup(0, 0);
    }

    /// <summary>
    /// Sends SIGKILL to every process left in the group <paramref name="leader"/> led (see <see cref="LeadOwnGroup"/>):
    /// what its tasks started. Nothing happens if the group is empty or was never made.
    /// </summary>
    public static void KillGroup(int leader)
    {
        if ((OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && leader > 1) SendSignal(-leader, SigKill);
    }

    /// <summary>Every descendant of <paramref name="roots"/> (children, their children, ...), from one read of /proc; empty without /proc.</summary>
    public static IReadOnlyList<int> Descendants(IEnumerable<int> roots)
    {
        var children = ChildrenByParent();
        var found = new List<int>();
        var pending = new Queue<int>(roots);
        while (pending.TryDequeue(out var parent))
            foreach (var child in children.GetValueOrDefault(parent, []))
            {
                found.Add(child);
                pending.Enqueue(child);
            }
        return found;
    }

    /// <summary>
    /// Sends SIGKILL to <paramref name="roots"/> and to every process they started, directly or not (roots first, so they
    /// start nothing more). Where there is no /proc, each root's tree is killed the .NET way.
    /// </summary>
    public static void KillAll(IReadOnlyCollection<int> roots)
    {
        if (!OperatingSystem.IsLinux())
        {
            foreach (var pid in roots) KillTheDotNetWay(pid);
            return;
        }
        var descendants = Descendants(roots);
        foreach (var pid in roots.Concat(descendants)) SendSignal(pid, SigKill); // a process gone meanwhile: ESRCH, ignored
    }

    private static void KillTheDotNetWay(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (ArgumentException) { /* already gone */ }
        catch (InvalidOperationException) { /* exited meanwhile */ }
    }

    /// <summary>Each process's children, from the parent pid in <c>/proc/PID/stat</c>.</summary>
    private static Dictionary<int, List<int>> ChildrenByParent()
    {
        var children = new Dictionary<int, List<int>>();
        if (!Directory.Exists("/proc")) return children;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(directory, "stat")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; } // exited meanwhile
            // "pid (command) state ppid ...": the command may hold spaces and parentheses, so read after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && int.TryParse(fields[1], out var parent))
            {
                if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
                list.Add(pid);
            }
        }
        return children;
    }
}
