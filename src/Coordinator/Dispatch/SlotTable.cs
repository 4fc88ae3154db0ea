using Akka.Actor;

namespace ClusterPool.Dispatch;

/// <summary>The registered worker slots, by actor and by process. Plain class, driven by the coordinator actor
/// only.</summary>
internal sealed class SlotTable
{
    private readonly Dictionary<IActorRef, Slot> _byActor = [];

    /// <summary>Every registered slot.</summary>
    public IEnumerable<Slot> All => _byActor.Values;

    /// <summary>Slots whose host is reachable now and whose process runs (until it is downed, an unreachable host's
    /// slots stay here; an exited process's until what it sent is read): what <c>Pool.Slots</c> and the statistics'
    /// hosts count.</summary>
    public IEnumerable<Slot> Reachable => _byActor.Values.Where(s => s is { Unreachable: false, Exited: false });

    /// <summary>Slots that take work, the least loaded first; of those as loaded, the one that finished last first: it
    /// has the call's function and argument types ready (a worker that meets them first resolves the function and
    /// builds their readers: 20-45 ms here), so sequential Apply calls stay on one warm worker.</summary>
    public IEnumerable<Slot> Accepting => Taking.OrderBy(s => s.Held.Count).ThenByDescending(s => s.FreedAt);

    /// <summary>Slots that take work, in no order: for questions asked on every dispatch that need no sort.</summary>
    public IEnumerable<Slot> Taking => Reachable.Where(s => !s.Retiring);

    public Slot Add(IActorRef actor, string host, int pid, bool embedded = false) =>
        _byActor[actor] = new Slot(actor, host, pid, embedded);

    public Slot? Find(IActorRef actor) => _byActor.GetValueOrDefault(actor);

    /// <summary>The slots of the worker process at <paramref name="address"/> with id <paramref name="pid"/> (any pid
    /// if null).</summary>
    public List<Slot> At(Akka.Actor.Address address, int? pid = null) =>
        _byActor.Values.Where(s => s.Actor.Path.Address.Equals(address) && (pid is null || s.Pid == pid)).ToList();

    /// <summary>Removes and returns the slot of <paramref name="actor"/>, if registered.</summary>
    public Slot? Remove(IActorRef actor) => _byActor.Remove(actor, out var slot) ? slot : null;

    /// <summary>Removes and returns the slots of the worker process at <paramref name="address"/> with id
    /// <paramref name="pid"/>.</summary>
    public List<Slot> RemoveAt(Akka.Actor.Address address, int pid)
    {
        var gone = At(address, pid);
        foreach (var slot in gone) _byActor.Remove(slot.Actor);
        return gone;
    }

    /// <summary>Every slot of process <paramref name="pid"/> on <paramref name="host"/>.</summary>
    public List<Slot> OfProcess(int pid, string host) =>
        _byActor.Values.Where(s => s.Pid == pid && s.Host == host).ToList();

    /// <summary>Removes and returns every slot of process <paramref name="pid"/> on <paramref name="host"/>.</summary>
    public List<Slot> RemoveProcess(int pid, string host)
    {
        var gone = OfProcess(pid, host);
        foreach (var slot in gone) _byActor.Remove(slot.Actor);
        return gone;
    }
}
