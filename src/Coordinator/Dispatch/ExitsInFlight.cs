using Akka.Actor;
using Exit = ClusterPool.Dispatch.PoolCoordinator.WorkerProcessExited;

namespace ClusterPool.Dispatch;

/// <summary>
/// Local worker exits that wait for their process's last messages. A process's exit is seen at once, and can overtake
/// what it sent just before it: a result part sent as it was killed, the chunks it handed back as it retired, even its
/// registration. Acted on at once, the exit gave the slots up, their late messages were dropped, and finished work ran
/// again. So an exit waits until the process's connection has closed (Akka.Remote reads a connection's messages in
/// order and says it closed after the last one), or until a deadline. Plain class, driven by the coordinator actor
/// only.
/// </summary>
/// <param name="window">How long a close waits for its exit (the exit comes within milliseconds; an older close
/// belongs to an earlier connection or process), which is also the exits' deadline.</param>
/// <param name="clock">The time now, as a monotonic span (tests drive their own).</param>
internal sealed class ExitsInFlight(TimeSpan window, Func<TimeSpan>? clock = null)
{
    /// <summary>How long the pid of a process that exited before it registered is remembered: a registration still
    /// in flight arrives well within it.</summary>
    public static readonly TimeSpan UnregisteredMemory = TimeSpan.FromMinutes(1);

    private readonly Func<TimeSpan> _now = clock ?? (() => TimeSpan.FromMilliseconds(Environment.TickCount64));

    // By pid: two processes can exit from one address (a replacement may bind the port an exited one had).
    private readonly Dictionary<int, (Address Address, Exit Exit)> _waiting = [];
    private readonly Dictionary<Address, TimeSpan> _closedAt = [];
    private readonly Dictionary<int, TimeSpan> _exitedUnregistered = [];

    /// <summary>
    /// The process at <paramref name="address"/> exited: true when its exit must wait (its connection is still open),
    /// false when it can be acted on now (the connection closed just before).
    /// </summary>
    public bool MustWait(Address address, Exit exit)
    {
        if (_closedAt.Remove(address, out var closed) && _now() - closed <= window) return false;
        _waiting[exit.Pid] = (address, exit);
        return true;
    }

    /// <summary>
    /// The connection from <paramref name="address"/> closed: the exits that waited for it; when none did and a
    /// local worker of this pool talks from there (<paramref name="local"/>), the close is kept a while for its exit.
    /// </summary>
    public IReadOnlyList<Exit> Closed(Address address, bool local)
    {
        var released = _waiting.Where(w => w.Value.Address == address).Select(w => w.Value.Exit).ToList();
        foreach (var exit in released) _waiting.Remove(exit.Pid);
        if (released.Count == 0 && local) _closedAt[address] = _now();
        return released;
    }

    /// <summary>The deadline of process <paramref name="pid"/>'s exit passed: that exit, if it still waited.</summary>
    public Exit? Expired(int pid) => _waiting.Remove(pid, out var waiting) ? waiting.Exit : null;

    /// <summary>A worker registered from <paramref name="address"/> (a new process can reuse a port): a connection that
    /// closed there before does not speak for its exit.</summary>
    public void Registered(Address address) => _closedAt.Remove(address);

    /// <summary>Process <paramref name="pid"/> exited before its registration was read: if that registration comes
    /// after all, it is from a process that is gone.</summary>
    public void ExitedUnregistered(int pid)
    {
        var now = _now();
        foreach (var old in _exitedUnregistered.Where(e => now - e.Value > UnregisteredMemory).ToList())
            _exitedUnregistered.Remove(old.Key);
        _exitedUnregistered[pid] = now;
    }

    /// <summary>Whether process <paramref name="pid"/> exited before its registration was read (recently).</summary>
    public bool IsGone(int pid) =>
        _exitedUnregistered.TryGetValue(pid, out var exited) && _now() - exited <= UnregisteredMemory;
}
