using System.Diagnostics;
using ClusterPool.Contracts;

namespace ClusterPool.Worker;

/// <summary>
/// The child host a supervisor runs, kept where its lifeline (<c>--exit-with-stdin</c>, on a thread of its own) can
/// reach it at any moment: once <see cref="Close"/>d, the running child is killed with its whole process group, and no
/// further child starts, whatever the supervisor's loop was doing then (waiting for the child, probing the pool, or
/// about to start the next one).
/// </summary>
internal sealed class SupervisedChild
{
    private readonly Lock _gate = new();
    private int _running;
    private RuntimeLeftovers _leftovers;
    private bool _closed;

    /// <summary>True once <see cref="Close"/> was called: the supervisor's loop stops without a word, its exit is the
    /// lifeline's.</summary>
    public bool Closed
    {
        get { lock (_gate) return _closed; }
    }

    /// <summary>Starts the child host, or returns null once closed (a child started then would outlive the
    /// supervisor's decision to stop).</summary>
    public Process? Start(ProcessStartInfo start)
    {
        lock (_gate)
        {
            if (_closed) return null;
            var child = Process.Start(start)!;
            _running = child.Id;
            _leftovers = RuntimeLeftovers.Of(child.Id);
            return child;
        }
    }

    /// <summary>The child exited: <see cref="Close"/> no longer kills it (its id may go to another process).</summary>
    public void Exited()
    {
        lock (_gate)
        {
            _leftovers.Remove(); // a child that was killed (recycled, lost) leaves its runtime's files
            (_running, _leftovers) = (0, default);
        }
    }

    /// <summary>
    /// Kills the running child and every process of its group (what its tasks started) at once, with no graceful stop
    /// (whoever held the lifeline is gone or has told the host to stop already), and lets no other child start.
    /// </summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            if (_running != 0) ProcessTree.KillWithGroups([_running]);
        }
    }
}
