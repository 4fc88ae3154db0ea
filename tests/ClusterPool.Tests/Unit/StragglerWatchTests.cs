using System.Diagnostics;
using Akka.Actor;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Messages;
using ClusterPool.Dispatch;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>Which chunks straggle, and where their backup copies go (<see cref="StragglerWatch"/>), without an actor
/// system.</summary>
public class StragglerWatchTests
{
    private static readonly FunctionRef Function = new("A", "T", "M", [], Guid.NewGuid(), null, false);
    private static readonly SpeculationSettings Settings = new(1.5, TimeSpan.FromMilliseconds(500),
        TimeSpan.FromMilliseconds(200));

    /// <summary>A slot of worker process <paramref name="pid"/> on the machine at <paramref name="ip"/>.</summary>
    private static Slot SlotAt(string ip, int pid) =>
        new(new AddressedRef(ActorPath.Parse($"akka.tcp://clusterpool@{ip}:4053/user/slot-{pid}")), ip, pid);

    private sealed class AddressedRef(ActorPath path) : MinimalActorRef
    {
        public override ActorPath Path => path;
        public override IActorRefProvider Provider => throw new NotSupportedException();
    }

    /// <summary>A chunk of 10 items that <paramref name="slot"/> has run for <paramref name="seconds"/>.</summary>
    private static (InFlight, ChunkCopy, long) RunningFor(InFlightTable table, Slot slot, double seconds, long id = 0)
    {
        table.Assign(new Chunk(1, id, id * 10, 10, Function, []), slot);
        var (entry, copy, _) = table.Running().Single(r => r.Copy.Slot == slot);
        return (entry, copy, Stopwatch.GetTimestamp() - (long)(seconds * Stopwatch.Frequency));
    }

    private static StragglerWatch WatchWithTypicalItemOf(double seconds)
    {
        var watch = new StragglerWatch(Settings);
        for (var i = 0; i < 10; i++) watch.Record(1, Function, SlotAt("10.0.0.9", 9), 10, seconds * 10);
        return watch;
    }

    [Fact]
    public void TheSlowMachinesOwnChunksDoNotSetTheNorm()
    {
        var watch = WatchWithTypicalItemOf(0.1);
        for (var i = 0; i < 3; i++) watch.Record(1, Function, SlotAt("10.0.0.8", 8), 10, 5.0); // a quarter of the slots at a fifth of the speed
        Assert.Equal(0.1, watch.SecondsPerItem(1, Function)!.Value, 3);
    }

    [Fact]
    public void AChunkStragglesOnlyPastTheMultiplierOfItsTypicalTime()
    {
        var watch = WatchWithTypicalItemOf(0.1); // a chunk of 10: 1 s
        var table = new InFlightTable();
        var (slow, onTime, idle) = (SlotAt("10.0.0.1", 1), SlotAt("10.0.0.2", 2), SlotAt("10.0.0.3", 3));
        var running = new List<(InFlight, ChunkCopy, long)>
            { RunningFor(table, slow, 1.6, id: 0), RunningFor(table, onTime, 1.4, id: 1) };

        var (entry, slot) = Assert.Single(watch.Plan(running, [idle], _ => true, Stopwatch.GetTimestamp()));

        Assert.Equal((0L, idle), (entry.Chunk.ChunkId, slot));
    }

    [Fact]
    public void AChunkOnAMachineThatRanTheCallsChunksSlowlyStragglesAtOnce()
    {
        var watch = WatchWithTypicalItemOf(0.1);
        var (slow, healthy, idle) = (SlotAt("10.0.0.1", 1), SlotAt("10.0.0.2", 2), SlotAt("10.0.0.3", 3));
        for (var i = 0; i < 2; i++) watch.Record(1, Function, SlotAt("10.0.0.1", 4), 10, 5.0); // its machine: 0.5 s an item
        var table = new InFlightTable();
        var running = new List<(InFlight, ChunkCopy, long)>
            { RunningFor(table, slow, 0.6, id: 0), RunningFor(table, healthy, 0.6, id: 1) };

        var (entry, _) = Assert.Single(watch.Plan(running, [idle], _ => true, Stopwatch.GetTimestamp()));
        Assert.Equal(0L, entry.Chunk.ChunkId);    // 0.6 s of an expected 1 s, but its machine would take 5 s
        running = [RunningFor(new InFlightTable(), slow, 0.1, id: 0), RunningFor(new InFlightTable(), healthy, 0.3, 1)];
        (entry, _) = Assert.Single(watch.Plan(running, [idle], _ => true, Stopwatch.GetTimestamp()));
        Assert.Equal(0L, entry.Chunk.ChunkId);    // at once: the minimum runtime is for chunks on other machines
    }

    [Fact]
    public void NothingIsCopiedForACallThatDidNotAskOrForASuspectOrWithoutAMeasure()
    {
        var table = new InFlightTable();
        var (slow, idle) = (SlotAt("10.0.0.1", 1), SlotAt("10.0.0.2", 2));
        var running = new List<(InFlight, ChunkCopy, long)> { RunningFor(table, slow, 30) };

        Assert.Empty(new StragglerWatch(Settings).Plan(running, [idle], _ => true, Stopwatch.GetTimestamp()));
        var watch = WatchWithTypicalItemOf(0.1);
        Assert.Empty(watch.Plan(running, [idle], _ => false, Stopwatch.GetTimestamp()));
        running[0].Item1.Losses = 1; // lost with a worker before: it may be what kills them
        Assert.Empty(watch.Plan(running, [idle], _ => true, Stopwatch.GetTimestamp()));
    }

    [Fact]
    public void TheCopyGoesToAnotherMachineAndOneWhereNothingStraggles()
    {
        var watch = WatchWithTypicalItemOf(0.1);
        var table = new InFlightTable();
        var slowA = SlotAt("10.0.0.1", 1);
        var slowB = SlotAt("10.0.0.2", 2);
        var running = new List<(InFlight, ChunkCopy, long)> { RunningFor(table, slowA, 9, 0), RunningFor(table, slowB, 3, 1) };
        Slot[] idle = [SlotAt("10.0.0.1", 5), SlotAt("10.0.0.2", 6), SlotAt("10.0.0.3", 7)];

        var plan = watch.Plan(running, idle, _ => true, Stopwatch.GetTimestamp());

        // the longest overrun first, on the one machine where nothing straggles; the next on the other slow machine
        Assert.Equal([(0L, 7), (1L, 5)], plan.Select(p => (p.Entry.Chunk.ChunkId, p.Slot.Pid)));
    }

    [Fact]
    public void NoCopyGoesToAMachineKnownToBeSlowEvenWhenItsSlotIsTheOnlyIdleOne()
    {
        var watch = WatchWithTypicalItemOf(0.1);
        for (var i = 0; i < 2; i++) watch.Record(1, Function, SlotAt("10.0.0.1", 4), 10, 5.0);
        var table = new InFlightTable();
        var running = new List<(InFlight, ChunkCopy, long)> { RunningFor(table, SlotAt("10.0.0.1", 1), 1) };

        Assert.Empty(watch.Plan(running, [SlotAt("10.0.0.1", 2)], _ => true, Stopwatch.GetTimestamp()));
        Assert.Single(watch.Plan(running, [SlotAt("10.0.0.1", 2), SlotAt("10.0.0.2", 3)], _ => true,
            Stopwatch.GetTimestamp()));
    }

    [Fact]
    public void NoCopyRunsInTheProcessOfItsFirstCopy()
    {
        var watch = WatchWithTypicalItemOf(0.1);
        var table = new InFlightTable();
        var running = new List<(InFlight, ChunkCopy, long)> { RunningFor(table, SlotAt("10.0.0.1", 1), 9) };
        Assert.Empty(watch.Plan(running, [SlotAt("10.0.0.1", 1)], _ => true, Stopwatch.GetTimestamp()));
        Assert.Single(watch.Plan(running, [SlotAt("10.0.0.1", 2)], _ => true, Stopwatch.GetTimestamp()));
    }

    [Fact]
    public void TheTimeSavedIsTheSlowerCopysRestAtItsOwnPace()
    {
        var table = new InFlightTable();
        var (entry, copy, since) = RunningFor(table, SlotAt("10.0.0.1", 1), 4);
        copy.RunningSince = since;
        copy.Reached = 2; // 2 of 10 items in 4 s: 8 more would take 16 s

        Assert.Equal(16, StragglerWatch.Saved(entry, copy, Stopwatch.GetTimestamp()).TotalSeconds, 1);
    }
}
