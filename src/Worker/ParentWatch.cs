using ClusterPool.Contracts.Launch;
using System.Runtime.InteropServices;

namespace ClusterPool.Worker;

/// <summary>
/// An embedded worker's lifeline to the pool process that started it. The pool holds the write end of this process's
/// stdin: when the pool exits for any reason, even <c>kill -9</c>, the pipe closes and the read below returns at once.
/// A poll of the parent id (on Windows, a wait on its process handle) backs it up for a stdin that is not a pipe. The
/// pool also writes a line there once it listens (<see cref="WorkerCommandLine.JoinLine"/>, with its address), so a
/// worker that starts
/// before its pool waits without polling its port, and a spare worker (started ahead for the program's next pool)
/// learns which pool it joins.
/// </summary>
internal static class ParentWatch
{
    private static readonly TaskCompletionSource<string> Listening =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the pool's <c>HOST:PORT</c> when the parent has said on stdin that it listens.</summary>
    public static Task<string> ParentListening => Listening.Task;

    /// <summary>Calls <paramref name="onParentGone"/> once the parent process is gone.</summary>
    internal static void Start(int parentPid, Action onParentGone)
    {
        _parent = parentPid;
        var fired = 0;
        void Fire() { if (Interlocked.Exchange(ref fired, 1) == 0) onParentGone(); }

        // only the pool writes on this stdin; a stdin that cannot be read leaves it to the poll below
        StdinWatch.Start("parent-watch-stdin", line =>
        {
            if (WorkerCommandLine.TryReadJoinLine(line, out var address)) Listening.TrySetResult(address);
        }, error => { if (error is null) Fire(); });

        new Thread(() =>
        {
            // Unix: a process whose parent died is adopted by another, so its parent id changes.
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
                do Thread.Sleep(500);
                while (GetParentPid() == parentPid);
            else WaitForExit(parentPid);
            Fire();
        }) { IsBackground = true, Name = "parent-watch" }.Start();
    }

    /// <summary>
    /// Elsewhere (Windows): waits on the parent's process handle, opened once. A poll would look the parent up among
    /// every process twice a second; under Wine that cost each of 64 idle workers more as there were more of them.
    /// </summary>
    private static void WaitForExit(int pid)
    {
        try
        {
            using var parent = System.Diagnostics.Process.GetProcessById(pid);
            parent.WaitForExit();
        }
        catch (Exception e) when (
            e is ArgumentException or InvalidOperationException
                or System.ComponentModel.Win32Exception) { /* gone already */ }
    }

    private static int _parent = -1;

    /// <summary>
    /// This process's parent id: on Unix the system's; elsewhere (Windows keeps no parent that .NET can read) the
    /// process that started this worker and is watched, or -1 when none is.
    /// </summary>
    public static int GetParentPid() =>
        OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? getppid() : _parent;

    [DllImport("libc", SetLastError = false)]
    private static extern int getppid();
}
