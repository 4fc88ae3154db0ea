using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Diagnostics;
using ClusterPool.Dispatch;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// A local worker's exit is seen at once and can overtake what the process sent just before it (a part of its chunk's
/// results): the coordinator gives the process's slots up once its connection has closed, or after
/// <c>clusterpool.local-workers.exit-read-timeout</c>. The coordinator alone, over real Akka.Remote on loopback: the
/// "worker process" is a second actor system with probes for its host and slot, its exit the message the spawner sends,
/// its death that system's end.
/// </summary>
public sealed class WorkerExitTests : CoordinatorTestKit
{
    private const int Pid = 4242;
    /// <summary>For messages over remoting on a loaded machine (the test kit's own default is 2 s).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly PoolStatus _status = new();
    private readonly IActorRef _coordinator;
    private readonly ActorSystem _worker = ActorSystem.Create("worker", Loopback(NodeRole.Worker));

    public WorkerExitTests() : base(Loopback(NodeRole.Coordinator)) => _coordinator = StartCoordinator(_status);

    private static Config Loopback(NodeRole role) =>
        PoolConfig.Build(role, "akka.loglevel = WARNING", "127.0.0.1", 0, clusterMember: false);

    [Fact]
    public void AResultPartThatArrivesAfterTheExitCountsAndOnlyTheRestRunsAgain()
    {
        var (remoteSlot, coordinator) = RegisterRemoteSlot();
        var (_, output) = Submit(_coordinator, items: 2, chunksize: 2);
        var chunk = Assert.Single(remoteSlot.ExpectMsg<WorkBatch>(Patience).Chunks);

        _coordinator.Tell(new PoolCoordinator.WorkerProcessExited(Pid, 137, []));
        AwaitCondition(() => _status.Slots == 0); // taken in: its slot gets no more work and is not counted
        // Item 0's result, sent before the process died, read after its exit was seen.
        coordinator.Tell(new ChunkResult(chunk.CallId, chunk.ChunkId, 0, 1,
            PayloadSerializer.Serialize(new object?[] { "sent before the exit" }, "test"), null, false, 0), remoteSlot.Ref);
        _worker.Terminate().Wait(TimeSpan.FromSeconds(10)); // its connection closes

        var survivor = Slot(_coordinator, pid: 2);
        var again = Assert.Single(survivor.ExpectMsg<WorkBatch>(Patience).Chunks);
        Assert.Equal((1L, 1), (again.FirstIndex, again.Count)); // item 1 only: item 0's result counted
        _coordinator.Tell(Done(again, "run again"), survivor.Ref);
        AwaitCondition(() => output.Completions == 1);
        Assert.Equal(["sent before the exit", "run again"], output.Delivered.Select(d => d.Value));
    }

    /// <summary>
    /// A worker that died is said in one warning (it was replaced without a word); one the pool stopped itself
    /// (Terminate, Dispose, a second Ctrl+C kill what is left) is not: users saw "killed (SIGKILL...)" at every end.
    /// </summary>
    [Fact]
    public void AWorkerThatDiedIsSaidInAWarningOneThePoolStoppedIsNot()
    {
        var warnings = CreateTestProbe();
        Sys.EventStream.Subscribe(warnings.Ref, typeof(Akka.Event.Warning));
        foreach (var pid in new[] { 7, 8 })
        {
            var host = CreateTestProbe();
            _coordinator.Tell(new RegisterSlots(Environment.MachineName, pid, [CreateTestProbe().Ref], [], true),
                host.Ref);
            host.ExpectMsg<Welcome>(Patience);
        }
        _coordinator.Tell(new PoolCoordinator.WorkerProcessExited(7, 137, [], StoppedByPool: true));
        _coordinator.Tell(new PoolCoordinator.WorkerProcessExited(8, 137, []));
        var said = warnings.ExpectMsg<Akka.Event.Warning>(Patience);
        Assert.StartsWith("worker process 8 exited with code 137: killed", said.Message.ToString());
        warnings.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void AnExitWhoseConnectionStaysOpenIsActedOnAfterTheTimeout()
    {
        var (remoteSlot, _) = RegisterRemoteSlot();
        Submit(_coordinator, items: 2, chunksize: 2);
        var held = Assert.Single(remoteSlot.ExpectMsg<WorkBatch>(Patience).Chunks);

        var clock = Stopwatch.StartNew();
        _coordinator.Tell(new PoolCoordinator.WorkerProcessExited(Pid, 137, []));
        var survivor = Slot(_coordinator, pid: 2);
        var again = survivor.ExpectMsg<WorkBatch>(TimeSpan.FromSeconds(10)).Chunks; // the test kit's timeout is 2 s
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(8));
        Assert.Equal(held.FirstIndex, again[0].FirstIndex);
    }

    [Fact]
    public void AnExitSeenAfterItsConnectionClosedIsActedOnAtOnce()
    {
        var (remoteSlot, _) = RegisterRemoteSlot();
        Submit(_coordinator, items: 2, chunksize: 2);
        var held = Assert.Single(remoteSlot.ExpectMsg<WorkBatch>(Patience).Chunks);
        var closes = CreateTestProbe();
        Sys.EventStream.Subscribe(closes.Ref, typeof(Akka.Remote.DisassociatedEvent));
        _worker.Terminate().Wait(TimeSpan.FromSeconds(10));
        closes.ExpectMsg<Akka.Remote.DisassociatedEvent>(TimeSpan.FromSeconds(10)); // the coordinator hears it too

        var clock = Stopwatch.StartNew();
        _coordinator.Tell(new PoolCoordinator.WorkerProcessExited(Pid, 137, []));
        var survivor = Slot(_coordinator, pid: 2);
        var again = survivor.ExpectMsg<WorkBatch>(TimeSpan.FromSeconds(10)).Chunks;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"the exit waited {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.Equal(held.FirstIndex, again[0].FirstIndex);
    }

    [Fact]
    public void TwoExitsFromOneAddressAreBothActedOnWhenItsConnectionCloses()
    {
        // A replacement worker can bind the port an exited one had: here both "processes" talk from one address.
        var (first, _) = RegisterRemoteSlot();
        Submit(_coordinator, items: 1);
        var held = Assert.Single(first.ExpectMsg<WorkBatch>(Patience).Chunks);
        RegisterRemoteSlot(Pid + 1);

        _coordinator.Tell(new PoolCoordinator.WorkerProcessExited(Pid, 137, []));
        _coordinator.Tell(new PoolCoordinator.WorkerProcessExited(Pid + 1, 137, []));
        _worker.Terminate().Wait(TimeSpan.FromSeconds(10));

        var survivor = Slot(_coordinator, pid: 2);
        var again = Assert.Single(survivor.ExpectMsg<WorkBatch>(TimeSpan.FromSeconds(10)).Chunks);
        Assert.Equal(held.FirstIndex, again.FirstIndex); // the first exit was not lost behind the second
        AwaitCondition(() => _status.Slots == 1); // the survivor's
    }

    [Fact]
    public void ARegistrationReadAfterItsProcessExitedAddsNoSlot()
    {
        // The process registered and died at once; its exit was seen before its registration was read.
        _coordinator.Tell(new PoolCoordinator.WorkerProcessExited(Pid, 137, []));
        var coordinator = CoordinatorFromWorker();
        coordinator.Tell(new RegisterSlots(Environment.MachineName, Pid, [CreateTestProbe(_worker).Ref], [],
            Embedded: true), CreateTestProbe(_worker).Ref);
        var (live, _) = RegisterRemoteSlot(Pid + 1); // read after the first: one connection keeps the order

        Assert.Equal(1, _status.Slots);
        Submit(_coordinator, items: 1);
        Assert.Single(live.ExpectMsg<WorkBatch>(Patience).Chunks);
    }

    /// <summary>A worker host with one slot in the other actor system registers as a local worker of pid
    /// <paramref name="pid"/>; returns its slot and the coordinator as that system reaches it.</summary>
    private (Akka.TestKit.TestProbe Slot, IActorRef Coordinator) RegisterRemoteSlot(int pid = Pid)
    {
        var coordinator = CoordinatorFromWorker();
        var host = CreateTestProbe(_worker);
        var slot = CreateTestProbe(_worker);
        var before = _status.Slots;
        coordinator.Tell(new RegisterSlots(Environment.MachineName, pid, [slot.Ref], [], Embedded: true), host.Ref);
        host.ExpectMsg<Welcome>(TimeSpan.FromSeconds(10));
        coordinator.Tell(new RequestWork(1), slot.Ref);
        AwaitCondition(() => _status.Slots == before + 1);
        return (slot, coordinator);
    }

    /// <summary>The coordinator as the worker's actor system reaches it, over Akka.Remote.</summary>
    private IActorRef CoordinatorFromWorker()
    {
        var address = ((ExtendedActorSystem)Sys).Provider.DefaultAddress;
        return _worker.ActorSelection(new RootActorPath(address) / _coordinator.Path.Elements)
            .ResolveOne(TimeSpan.FromSeconds(10)).Result;
    }

    protected override void AfterAll()
    {
        _worker.Terminate().Wait(TimeSpan.FromSeconds(10));
        base.AfterAll();
    }
}
