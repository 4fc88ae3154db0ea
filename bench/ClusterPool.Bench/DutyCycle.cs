using System.Runtime.InteropServices;

namespace ClusterPool.Bench;

/// <summary>
/// Slows a machine of a <see cref="ClusterRig"/> down, as an older or overloaded machine is: every period, its
/// processes (worker hosts and their children, found afresh each second) run for <c>runFraction</c> of it and are
/// stopped (SIGSTOP) for the rest. Disposing it lets them run again (SIGCONT), whatever happened.
/// </summary>
internal sealed class DutyCycle : IDisposable
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigStop = 19, SigCont = 18;
    private readonly IReadOnlyList<RigHost> _hosts;
    private readonly TimeSpan _run, _stopped;
    private readonly CancellationTokenSource _end = new();
    private readonly Thread _thread;
    private List<int> _pids = [];

    public DutyCycle(IReadOnlyList<RigHost> hosts, double runFraction, TimeSpan period)
    {
        _hosts = hosts;
        _run = period * runFraction;
        _stopped = period - _run;
        _thread = new Thread(Loop) { IsBackground = true, Name = "duty-cycle", Priority = ThreadPriority.Highest };
        _thread.Start();
    }

    private void Loop()
    {
        var found = DateTime.MinValue;
        while (!_end.IsCancellationRequested)
        {
            if (DateTime.UtcNow - found > TimeSpan.FromSeconds(1))
            {
                _pids = [.. _hosts.SelectMany(h => ProcessStats.Tree(h.Process.Id))];
                found = DateTime.UtcNow;
            }
            Signal(SigCont);
            if (_end.Token.WaitHandle.WaitOne(_run)) break;
            Signal(SigStop);
            _end.Token.WaitHandle.WaitOne(_stopped);
        }
        Signal(SigCont);
    }

    private void Signal(int signal)
    {
        foreach (var pid in _pids) kill(pid, signal);
    }

    public void Dispose()
    {
        _end.Cancel();
        _thread.Join();
        Signal(SigCont); // a host found between the loop's last look and now
        _end.Dispose();
    }
}
