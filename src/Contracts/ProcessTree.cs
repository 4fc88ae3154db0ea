using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ClusterPool.Contracts;

/// <summary>
/// Killing worker processes together with everything their tasks started. A worker process leads its own process group
/// (<see cref="LeadOwnGroup"/>), which everything a task starts joins: when the worker is gone, however it ended, its
/// parent kills that group (<see cref="KillGroup"/>), so no process a task started outlives its worker, even one
/// orphaned and adopted by init. .NET's <c>Process.Kill(entireProcessTree: true)</c> instead reads every process's
/// <c>/proc</c> entry for each process it kills: stopping 64 workers that way took seconds on a busy machine.
/// </summary>
internal static class ProcessTree
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
    /// Makes this process the leader of a new process group (Linux, macOS): what it starts joins that group. Ctrl+C in
    /// a terminal then no longer reaches it directly, which a worker wants anyway: its parent stops it. On Windows, a
    /// job object of its own that kills what it started when it ends (<see cref="WindowsJob"/>).
    /// </summary>
    public static void LeadOwnGroup()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) SetProcessGroup(0, 0);
        else if (OperatingSystem.IsWindows()) WindowsJob.Enter();
    }

    /// <summary>
    /// Ties a child process (a worker) to this one's life on Windows, where no process group does: it joins this
    /// process's job object, which kills it, and whatever it started, when this process ends, even by
    /// <c>taskkill /F</c>. Elsewhere the child's stdin pipe is its lifeline, and nothing more is needed.
    /// </summary>
    public static void Adopt(Process child)
    {
        if (!OperatingSystem.IsWindows()) return;
        try { WindowsJob.Add(child); }
        catch (InvalidOperationException) { /* it exited already */ }
    }

    /// <summary>
    /// Sends SIGKILL to every process left in the group <paramref name="leader"/> led (see <see cref="LeadOwnGroup"/>):
    /// what its tasks started. Nothing happens if the group is empty or was never made.
    /// </summary>
    public static void KillGroup(int leader)
    {
        if ((OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && leader > 1) SendSignal(-leader, SigKill);
    }

    /// <summary>
    /// Sends SIGKILL to each of <paramref name="leaders"/> and to every process of the group each leads (what its tasks
    /// started): two signals per process, nothing read from /proc, so 64 workers on a saturated machine stop at once.
    /// Where there are no process groups (Windows), each tree is killed the .NET way.
    /// </summary>
    public static void KillWithGroups(IReadOnlyCollection<int> leaders)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            foreach (var pid in leaders) KillTheDotNetWay(pid);
            return;
        }
        foreach (var pid in leaders) SendSignal(pid, SigKill); // a process gone meanwhile: ESRCH, ignored
        foreach (var pid in leaders) KillGroup(pid);
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
}
