using Akka.Actor;
using Akka.TestKit.Xunit2;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Diagnostics;
using ClusterPool.Calls;
using ClusterPool.Dispatch;

namespace ClusterPool.Tests.Unit;

/// <summary>The coordinator actor alone, with test probes for worker slots: what its unit tests share.</summary>
public abstract class CoordinatorTestKit : TestKit
{
    private protected static readonly FunctionRef Function = new("A", "T", "M", [], Guid.NewGuid(), null, false);
    private protected static readonly FrameBudget Budget = new(128_000);

    protected CoordinatorTestKit() : base("akka.loglevel = WARNING") { }

    /// <summary>A test kit whose actor system runs <paramref name="config"/> (real remoting, for one).</summary>
    protected CoordinatorTestKit(Akka.Configuration.Config config) : base(config) { }

    /// <summary>What the pool tells its workers in these tests.</summary>
    private protected static Welcome TestWelcome =>
        new(null, null, 0, 0, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));

    /// <summary>A coordinator with short-task batching as in <c>hocon/coordinator.hocon</c>.</summary>
    private protected IActorRef StartCoordinator(PoolStatus status, SpeculationSettings? speculation = null,
        PayloadHandOver? handOver = null) =>
        Sys.ActorOf(PoolCoordinator.Props(new PoolCoordinator.Settings(Budget,
            new TaskTimings(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(2), 256), MaxRetries: 1, TestWelcome,
            status, ExitReadTimeout: TimeSpan.FromSeconds(2), Speculation: speculation, HandOver: handOver)));

    /// <summary>Submits a call of <paramref name="items"/> items (0, 1, ...) to <paramref name="coordinator"/>.</summary>
    private protected static (Call Call, RecordingOutput Output) Submit(IActorRef coordinator, int items,
        int chunksize = 1, RecordingOutput? list = null)
    {
        var output = list ?? new RecordingOutput(ordered: true);
        var input = Enumerable.Range(0, items).Select(i => new object?[] { i }).ToArray();
        var feeder = new InputFeeder<object?[]>(1, Function, input, chunksize, Budget, 8, null);
        var call = new Call(1, Function, feeder, output);
        feeder.Start();
        coordinator.Tell(new PoolCoordinator.SubmitCall(call));
        return (call, output);
    }

    /// <summary>A one-item chunk's result: <paramref name="value"/>.</summary>
    private protected static ChunkResult Done(Chunk chunk, object? value) =>
        new(chunk.CallId, chunk.ChunkId, 0, 1, PayloadSerializer.Serialize(new[] { value }, "test"), null, true, 0.5);

    /// <summary>A fake worker host with one slot: registers with <paramref name="coordinator"/>, gets welcomed, asks
    /// for work.</summary>
    protected Akka.TestKit.TestProbe Slot(IActorRef coordinator, int pid) => Slot(coordinator, pid, out _);

    /// <summary>The same, with the welcome its host got; <paramref name="embedded"/>: a worker the pool started on its
    /// machine.</summary>
    private protected Akka.TestKit.TestProbe Slot(IActorRef coordinator, int pid, out Welcome welcome,
        bool embedded = false)
    {
        var host = CreateTestProbe();
        var slot = CreateTestProbe();
        coordinator.Tell(new RegisterSlots("test-host", pid, [slot.Ref], [], embedded), host.Ref);
        welcome = host.ExpectMsg<Welcome>();
        coordinator.Tell(new RequestWork(1), slot.Ref);
        return slot;
    }
}
