using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ClusterPool.Contracts;

/// <summary>
/// Killing processes together with everything they started. .NET's <c>Process.Kill(entireProcessTree: true)</c> reads
/// every process's <c>/proc</c> entry for each process it kills; stopping 64 workers that way read /proc 64 times
/// over. Here /proc is read once for all of them, and every process of every tree gets SIGKILL at once.
/// </summary>
public static class ProcessTree
{
    private const int SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

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
