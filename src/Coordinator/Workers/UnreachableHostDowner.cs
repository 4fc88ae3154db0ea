using Akka.Actor;
using Akka.Cluster;

namespace ClusterPool.Workers;

/// <summary>
/// Cluster mode's only downing rule: a worker host unreachable from the cluster for
/// <c>clusterpool.hosts.down-unreachable-after</c>
/// is downed by the coordinator, so the cluster converges again and hosts can join. No other node ever downs, and the
/// coordinator never downs itself: however many workers die or are cut off, the coordinator's side keeps the cluster.
/// (The pool re-queues an unreachable host's chunks the moment it becomes unreachable; downing only tidies membership.)
/// </summary>
internal sealed class UnreachableHostDowner : ReceiveActor, IWithTimers
{
    private sealed record DownNow(Address Host);

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TimeSpan after) => Akka.Actor.Props.Create(() => new UnreachableHostDowner(after));

    public UnreachableHostDowner(TimeSpan after)
    {
        var cluster = Cluster.Get(Context.System);
        Receive<ClusterEvent.UnreachableMember>(
            m => m.Member.Address != cluster.SelfAddress,
            m => Timers.StartSingleTimer(m.Member.Address, new DownNow(m.Member.Address), after));
        Receive<ClusterEvent.ReachableMember>(m => Timers.Cancel(m.Member.Address));
        Receive<DownNow>(down =>
        {
            var member = cluster.State.Members.FirstOrDefault(m => m.Address == down.Host);
            if (member is not null && cluster.State.Unreachable.Contains(member)) cluster.Down(down.Host);
        });
    }

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}
