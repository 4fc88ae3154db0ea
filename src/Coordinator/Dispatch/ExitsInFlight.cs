using Akka.Actor;
using Exit = ClusterPool.Dispatch.PoolCoordinator.WorkerProcessExited;

namespace ClusterPool.Dispatch;

/// <summary>
/// Local worker exits that wait for their process's last messages. A process's exit is seen at once, and can overtake
/// what it sent just before it: a result part sent as it was killed, the chunks it handed back as it retired. Acted on
/// at once, the exit gave the slots up, their late messages were dropped, and finished work ran again. So an exit waits
/// until the process's connection has closed (Akka.Remote reads a connection's messages in order and says it closed
/// after the last one), or until a deadline. Plain class, driven by the coordinator actor only.
/// </summary>
internal sealed class ExitsInFlight
{
    private readonly Dictionary<Address, Exit> _waiting = [];
    private readonly HashSet<Address> _closed = [];

    /// <summary>
    /// The process at <paramref name="address"/> exited: true when its exit must wait (its connection is still open),
    /// false when it can be acted on now (the connection closed first).
    /// </summary>
    public bool MustWait(Address address, Exit exit)
    {
        if (_closed.Remove(address)) return false;
        _waiting[address] = exit;
        return true;
    }

    /// <summary>
    /// The connection from <paramref name="address"/> closed: the exit that waited for it, if any; otherwise it is
    /// remembered for that exit, when <paramref name="known"/> (a worker of this pool talks from there).
    /// </summary>
    public Exit? Closed(Address address, bool known)
    {
        if (_waiting.Remove(address, out var exit)) return exit;
        if (known) _closed.Add(address);
        return null;
    }

    /// <summary>The deadline of the exit at <paramref name="address"/> passed: that exit, if it still waited.</summary>
    public Exit? Expired(Address address) => _waiting.Remove(address, out var exit) ? exit : null;

    /// <summary>A worker registered from <paramref name="address"/> (a new process can reuse a port): a connection that
    /// closed there before does not speak for its exit.</summary>
    public void Registered(Address address) => _closed.Remove(address);
}
