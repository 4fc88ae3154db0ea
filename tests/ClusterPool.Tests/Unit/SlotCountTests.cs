using System.Collections.Immutable;
using System.Reflection;
using Akka.Actor;
using Akka.Cluster;
using Akka.Util;
using ClusterPool.Diagnostics;
using ClusterPool.Dispatch;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// <c>Pool.Slots</c> and <c>WaitUntilReady</c> count the slots that can take work: a host called unreachable is not
/// counted while it is, though its slots stay in the coordinator's table until it is downed (a restarted host's pool
/// was "ready" again at once, counting the dead host's slots).
/// </summary>
public class SlotCountTests : CoordinatorTestKit
{
    [Fact]
    public void AnUnreachableHostsSlotsAreNotCountedUntilItIsReachableAgain()
    {
        var status = new PoolStatus();
        var coordinator = StartCoordinator(status);
        Slot(coordinator, pid: 1);
        Slot(coordinator, pid: 2);
        AwaitCondition(() => status.Slots == 2);

        // The probes all live at this actor system's address: that "host" becomes unreachable, then reachable.
        var member = MemberAt(((ExtendedActorSystem)Sys).Provider.DefaultAddress);
        coordinator.Tell(new ClusterEvent.UnreachableMember(member));
        AwaitCondition(() => status.Slots == 0);
        // The statistics' hosts say the same (the dashboard's host table): no slot there while it is unreachable.
        Assert.Equal(0, HostSlots(coordinator));
        coordinator.Tell(new ClusterEvent.ReachableMember(member));
        AwaitCondition(() => status.Slots == 2);
        Assert.Equal(2, HostSlots(coordinator));
    }

    private static int HostSlots(IActorRef coordinator) => coordinator
        .Ask<PoolStatistics>(PoolCoordinator.GetStatistics.Instance, TimeSpan.FromSeconds(5)).Result
        .Hosts.Sum(h => h.Slots);

    /// <summary>A cluster member at <paramref name="address"/>: Akka makes them only internally, so by its factory.</summary>
    private static Member MemberAt(Address address)
    {
        var create = typeof(Member).GetMethods(BindingFlags.Static | BindingFlags.NonPublic)
            .First(m => m.Name == "Create" && m.GetParameters().FirstOrDefault()?.ParameterType == typeof(UniqueAddress));
        var arguments = create.GetParameters().Select(object (p) => p.ParameterType switch
        {
            var t when t == typeof(UniqueAddress) => new UniqueAddress(address, 1),
            var t when t == typeof(ImmutableHashSet<string>) => ImmutableHashSet<string>.Empty,
            var t when t == typeof(AppVersion) => AppVersion.Zero,
            var t when t == typeof(MemberStatus) => MemberStatus.Up,
            var t when t == typeof(int) => 1,
            var t => throw new InvalidOperationException($"Member.Create takes a {t}"),
        }).ToArray();
        return (Member)create.Invoke(null, arguments)!;
    }
}
