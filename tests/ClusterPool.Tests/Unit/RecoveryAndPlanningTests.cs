using ClusterPool.Diagnostics;
using Akka.Actor;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Dispatch;
using ClusterPool.Calls;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary><see cref="ChunkRecovery"/> and <see cref="BatchPlanner"/>, the coordinator's policies, without an actor system.</summary>
public class RecoveryAndPlanningTests
{
    private static readonly FunctionRef Function = new("A", "T", "M", [], Guid.NewGuid(), null, false);

    private static Chunk NewChunk(long id, int count = 4) =>
        new(1, id, id * count, count, Function, PayloadSerializer.Serialize(Enumerable.Range((int)id * count, count).ToArray(), "test"), OneArgument: true);

    private static Call NewCall(RecordingOutput output) =>
        new(1, Function, new InputFeeder<object?[]>(1, Function, [], 1, new FrameBudget(128_000), 4, null), output);

    /// <summary>A call that is still running: the queue hands out only its chunks.</summary>
    private static readonly Call Running = NewCall(new RecordingOutput(ordered: false));

    /// <summary>The coordinator's table of running calls, holding <paramref name="call"/>.</summary>
    private static CallTable CallsWith(Call call)
    {
        var calls = new CallTable();
        calls.Add(call);
        return calls;
    }

    private static bool Take(WorkQueue queue, out Chunk chunk) => queue.TryTake(out chunk);

    private static List<Chunk> Drain(WorkQueue queue)
    {
        var taken = new List<Chunk>();
        while (Take(queue, out var chunk)) taken.Add(chunk);
        return taken;
    }

    /// <summary>A Map of <paramref name="chunkSize"/> items, all read, whose one chunk is held by one slot.</summary>
    private static (WorkQueue Queue, PoolStatus Status, ChunkRecovery Recovery, Call Call, Slot Slot, RecordingOutput Output) OneChunkOnOneSlot(
        int maxRetries, int chunkSize)
    {
        var (inFlight, status, output) = (new InFlightTable(), new PoolStatus(), new RecordingOutput(ordered: false, waitsForEveryItem: true));
        var call = NewCall(output);
        var calls = CallsWith(call);
        var queue = new WorkQueue(calls);
        call.OnInputEnd(chunkSize, null);
        var slot = new Slot(ActorRefs.Nobody, "h", 1);
        inFlight.Assign(NewChunk(0, chunkSize), slot);
        return (queue, status, new ChunkRecovery(queue, inFlight, calls, maxRetries, status), call, slot, output);
    }

    [Fact]
    public void AChunkLostWithItsWorkerRunsAgainItemByItem()
    {
        var (queue, status, recovery, call, slot, _) = OneChunkOnOneSlot(maxRetries: 3, chunkSize: 4);

        Assert.Empty(recovery.Lose([slot], "it died", countLoss: true));
        var pieces = Drain(queue);
        Assert.Equal([0L, 1, 2, 3], pieces.Select(p => p.FirstIndex));
        Assert.All(pieces, p => Assert.Equal(1, p.Count));
        Assert.Equal(1, status.Snapshot().WorkersLost);
    }

    [Fact]
    public void AnUnreachableHostsChunkRunsAgainWholeAndCountsNoLoss()
    {
        var (queue, status, recovery, call, slot, _) = OneChunkOnOneSlot(maxRetries: 3, chunkSize: 4);

        recovery.Lose([slot], "unreachable", countLoss: false);
        Assert.Equal(4, Assert.Single(Drain(queue)).Count);
        Assert.Equal(0, status.Snapshot().WorkersLost);
    }

    [Fact]
    public void AnUnreachableHostsChunkRunsAgainWithoutTheItemsItAlreadyDelivered()
    {
        var (inFlight, status) = (new InFlightTable(), new PoolStatus());
        var call = NewCall(new RecordingOutput(ordered: false, waitsForEveryItem: true));
        var calls = CallsWith(call);
        var queue = new WorkQueue(calls);
        call.OnInputEnd(10, null);
        var slot = new Slot(ActorRefs.Nobody, "h", 1);
        inFlight.Assign(NewChunk(0, 10), slot);
        // A long chunk sent its first 6 results before its host was cut off.
        var entry = inFlight.Accept(new ChunkResult(1, 0, 0, 6, null, null, false, 0), slot, out _)!;
        entry.Delivered = 6;

        new ChunkRecovery(queue, inFlight, calls, maxRetries: 3, status).Lose([slot], "unreachable", countLoss: false);
        var rest = Assert.Single(Drain(queue));
        Assert.Equal((6L, 4), (rest.FirstIndex, rest.Count));
        Assert.Equal([6, 7, 8, 9], PayloadSerializer.Deserialize<int[]>(rest.Payload, "test"));
    }

    [Fact]
    public void AChunkLostMoreThanMaxRetriesTimesFailsItsItemsAndFinishesItsCall()
    {
        var (queue, _, recovery, call, slot, output) = OneChunkOnOneSlot(maxRetries: 0, chunkSize: 1);

        var finished = recovery.Lose([slot], "it died", countLoss: true);
        Assert.Same(call, Assert.Single(finished));
        Assert.IsType<WorkerLostException>(output.Error);
        Assert.Empty(Drain(queue));
    }

    [Fact]
    public void TheItemsAfterAFailedOneRunAsAChunkOfTheirOwn()
    {
        var call = NewCall(new RecordingOutput(ordered: false, waitsForEveryItem: true)); // a Map: it runs every item whatever fails
        var (calls, inFlight) = (CallsWith(call), new InFlightTable());
        var queue = new WorkQueue(calls);
        var recovery = new ChunkRecovery(queue, inFlight, calls, maxRetries: 3, new PoolStatus());

        recovery.OnItemError(call, NewChunk(0), 1, new RemoteError(ErrorKind.UserCode, "System.InvalidOperationException", "bad", "", "h", 1));
        var rest = Assert.Single(Drain(queue));
        Assert.Equal((2L, 2), (rest.FirstIndex, rest.Count));
    }

    [Fact]
    public void ASlotGetsAtMostWhatKeepsItBusyAndTheRestWaits()
    {
        var (queue, inFlight, slots) = (new WorkQueue(CallsWith(Running)), new InFlightTable(), new SlotTable());
        // Unknown task length: the chunk a slot runs and one prefetched behind it (its next item is there when the
        // current one ends); the rest stays queued.
        var planner = new BatchPlanner(queue, inFlight, slots, Timings(), new FrameBudget(128_000));
        var first = slots.Add(ActorRefs.Nobody, "h", 1);
        foreach (var id in new long[] { 2, 1, 0 }) queue.PushFront(NewChunk(id));

        var batches = planner.Plan(new HashSet<Slot> { first });
        var (slot, batch) = Assert.Single(batches);
        Assert.Same(first, slot);
        Assert.Equal([0L, 1L], batch.Select(c => c.ChunkId));
        Assert.Equal([2L], Drain(queue).Select(c => c.ChunkId)); // the other stays queued
    }

    [Fact]
    public void EverySlotGetsAChunkToRunBeforeAnyGetsOneToPrefetch()
    {
        var (queue, inFlight, slots) = (new WorkQueue(CallsWith(Running)), new InFlightTable(), new SlotTable());
        var planner = new BatchPlanner(queue, inFlight, slots, Timings(), new FrameBudget(128_000));
        var (a, b) = (slots.Add(new TestProbeRef("a"), "h", 1), slots.Add(new TestProbeRef("b"), "h", 2));
        foreach (var id in new long[] { 2, 1, 0 }) queue.PushFront(NewChunk(id));

        var batches = planner.Plan(new HashSet<Slot> { a, b }).ToDictionary(p => p.Slot, p => p.Batch);

        // Three chunks, two slots: one each, then the third behind one of them; never two on one slot and none on the other.
        Assert.Equal(3, batches.Values.Sum(batch => batch.Length));
        Assert.All(new[] { a, b }, slot => Assert.InRange(slot.Held.Count, 1, 2));
        Assert.Equal([0L, 1L, 2L], batches.Values.SelectMany(batch => batch).Select(c => c.ChunkId).Order());
    }

    [Fact]
    public void OfIdleSlotsTheOneThatFinishedLastGetsTheNextChunk()
    {
        var (queue, inFlight, slots) = (new WorkQueue(CallsWith(Running)), new InFlightTable(), new SlotTable());
        var planner = new BatchPlanner(queue, inFlight, slots, Timings(), new FrameBudget(128_000));
        var (never, earlier, last) = (slots.Add(new TestProbeRef("never"), "h", 1),
            slots.Add(new TestProbeRef("earlier"), "h", 2), slots.Add(new TestProbeRef("last"), "h", 3));
        earlier.FreedAt = 100;
        last.FreedAt = 200;
        queue.PushFront(NewChunk(0));

        var (slot, batch) = Assert.Single(planner.Plan(new HashSet<Slot> { never, earlier, last }));
        Assert.Same(last, slot); // warm: it has met the call's function and argument types
        Assert.Equal([0L], batch.Select(c => c.ChunkId));
    }

    [Fact]
    public void AChunkThatDoesNotFitBesideOneSlotsBatchStillGoesToTheNextSlot()
    {
        var (queue, inFlight, slots) = (new WorkQueue(CallsWith(Running)), new InFlightTable(), new SlotTable());
        // Frames of 1,024 bytes: one chunk per message.
        var planner = new BatchPlanner(queue, inFlight, slots, Timings(), new FrameBudget(1));
        var (idle, busy) = (slots.Add(new TestProbeRef("idle"), "h", 1), slots.Add(new TestProbeRef("busy"), "h", 2));
        inFlight.Assign(NewChunk(9), busy); // runs one already: room for its prefetch only
        foreach (var id in new long[] { 2, 1, 0 }) queue.PushFront(NewChunk(id));

        var batches = planner.Plan(new HashSet<Slot> { idle, busy }).ToDictionary(p => p.Slot, p => p.Batch);

        // The idle slot gets one to run; its prefetch does not fit beside it in the frame, but the busy slot's does.
        Assert.Equal([0L], batches[idle].Select(c => c.ChunkId));
        Assert.Equal([1L], batches[busy].Select(c => c.ChunkId));
        Assert.Equal([2L], Drain(queue).Select(c => c.ChunkId));
    }

    [Fact]
    public void AtTheTailAnIdleSlotTakesBackWhatAnotherHoldsUnstartedOnceUntilThatSlotIsHeardFrom()
    {
        var (queue, inFlight, slots) = (new WorkQueue(CallsWith(Running)), new InFlightTable(), new SlotTable());
        var planner = new BatchPlanner(queue, inFlight, slots, Timings(), new FrameBudget(128_000));
        var (busy, idle) = (slots.Add(new TestProbeRef("busy"), "h", 1), slots.Add(new TestProbeRef("idle"), "h", 2));
        inFlight.Assign(NewChunk(0), busy);
        inFlight.Assign(NewChunk(1), busy); // prefetched, not started
        var ready = new HashSet<Slot> { busy, idle };

        Assert.Equal([busy], planner.ToReclaim(ready));
        Assert.Empty(planner.ToReclaim(ready)); // asked once; its answer (a hand-back, or a result if it had started it) comes next
        planner.Heard(busy);
        Assert.Equal([busy], planner.ToReclaim(ready));

        // Not while work is queued (the idle slot gets that), nor when no slot is idle.
        planner.Heard(busy);
        queue.PushFront(NewChunk(2));
        Assert.Empty(planner.ToReclaim(ready));
        Drain(queue);
        inFlight.Assign(NewChunk(3), idle);
        Assert.Empty(planner.ToReclaim(ready));
    }

    [Fact]
    public void NothingIsTakenBackForAnIdleSlotWhoseProcessRunsASuspect()
    {
        var (queue, inFlight, slots) = (new WorkQueue(CallsWith(Running)), new InFlightTable(), new SlotTable());
        var planner = new BatchPlanner(queue, inFlight, slots, Timings(), new FrameBudget(128_000));
        var busy = slots.Add(new TestProbeRef("busy"), "h", 1);
        var (idle, runner) = (slots.Add(new TestProbeRef("idle"), "h", 2), slots.Add(new TestProbeRef("runner"), "h", 2));
        inFlight.Assign(NewChunk(9), runner);
        inFlight.LoseSlot(runner); // its worker died once: it runs again alone in its process
        inFlight.Assign(NewChunk(9), runner);
        inFlight.Assign(NewChunk(0), busy);
        inFlight.Assign(NewChunk(1), busy); // prefetched, not started
        var ready = new HashSet<Slot> { busy, idle, runner };

        // The idle slot gets nothing while the suspect runs beside it: chunk 1 taken back would go back to its holder,
        // which would be asked again, and again, as long as the suspect ran.
        Assert.Empty(planner.ToReclaim(ready));
        inFlight.Complete(ChunkKey.Of(NewChunk(9)));
        Assert.Equal([busy], planner.ToReclaim(ready));
    }

    [Fact]
    public void ShortTasksInBatchesAreNotTakenBack()
    {
        var (queue, inFlight, slots) = (new WorkQueue(CallsWith(Running)), new InFlightTable(), new SlotTable());
        var timings = Timings();
        var planner = new BatchPlanner(queue, inFlight, slots, timings, new FrameBudget(128_000));
        var (busy, idle) = (slots.Add(new TestProbeRef("busy"), "h", 1), slots.Add(new TestProbeRef("idle"), "h", 2));
        timings.Record(NewChunk(0).Function, 100, 0.01); // 0.1 ms an item: a batch costs less than the round trip to move it
        inFlight.Assign(NewChunk(0), busy);
        inFlight.Assign(NewChunk(1), busy);

        Assert.Empty(planner.ToReclaim(new HashSet<Slot> { busy, idle }));
    }

    private static TaskTimings Timings() => new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(2), 256, prefetch: 1);
}

/// <summary>An actor reference with a name of its own and nothing behind it: slots told apart without an actor system.</summary>
internal sealed class TestProbeRef(string name) : MinimalActorRef
{
    public override ActorPath Path { get; } = new RootActorPath(new Address("akka", "test")) / name;

    public override IActorRefProvider Provider => throw new NotSupportedException();
}
