using Akka.Actor;
using Akka.TestKit.Xunit2;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Diagnostics;
using ClusterPool.Dispatch;

namespace ClusterPool.Tests.Unit;

/// <summary>The coordinator actor alone, with test probes for worker slots: what its unit tests share.</summary>
public abstract class CoordinatorTestKit : TestKit
{
    private protected static readonly FunctionRef Function = new("A", "T", "M", [], Guid.NewGuid(), null, false);
    private protected static readonly FrameBudget Budget = new(128_000);

    protected CoordinatorTestKit() : base("akka.loglevel = WARNING") { }

    /// <summary>What the pool tells its workers in these tests.</summary>
    private protected static Welcome TestWelcome =>
        new(null, null, 0, 0, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));

    /// <summary>A coordinator with short-task batching as in <c>hocon/coordinator.hocon</c>.</summary>
    private protected IActorRef StartCoordinator(PoolStatus status, SpeculationSettings? speculation = null) =>
        Sys.ActorOf(PoolCoordinator.Props(new PoolCoordinator.Settings(Budget,
            new TaskTimings(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(2), 256), MaxRetries: 1, TestWelcome,
            status, Speculation: speculation)));

    /// <summary>A fake worker host with one slot: registers with <paramref name="coordinator"/>, gets welcomed, asks
    /// for work.</summary>
    protected Akka.TestKit.TestProbe Slot(IActorRef coordinator, int pid)
    {
        var host = CreateTestProbe();
        var slot = CreateTestProbe();
        coordinator.Tell(new RegisterSlots("test-host", pid, [slot.Ref], []), host.Ref);
        host.ExpectMsg<Welcome>();
        coordinator.Tell(new RequestWork(1), slot.Ref);
        return slot;
    }
}
