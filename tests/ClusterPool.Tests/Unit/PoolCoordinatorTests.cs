using ClusterPool.Diagnostics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Dispatch;
using ClusterPool.Calls;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>The coordinator actor alone, with test probes for worker slots: the pull protocol and re-queueing.</summary>
public class PoolCoordinatorTests : CoordinatorTestKit
{
    private readonly IActorRef _coordinator;

    public PoolCoordinatorTests() => _coordinator = StartCoordinator(new PoolStatus());

    private Akka.TestKit.TestProbe Slot(int pid) => Slot(_coordinator, pid);

    private (Call Call, RecordingOutput Output) Submit(int items, int chunksize = 1, RecordingOutput? list = null) =>
        Submit(_coordinator, items, chunksize, list);

    [Fact]
    public void AnIdleSlotGetsALongChunkToRunAndOneBehindItAndTheNextWhenItReports()
    {
        var slot = Slot(pid: 1);
        var (_, output) = Submit(items: 3);
        // Unmeasured tasks: the one to run and the next (prefetched: there when the first ends, no round trip between).
        var held = slot.ExpectMsg<WorkBatch>().Chunks;
        Assert.Equal([0L, 1L], held.Select(c => c.FirstIndex));
        slot.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // no more than that
        _coordinator.Tell(Done(held[0], "a"), slot.Ref);
        var third = Assert.Single(slot.ExpectMsg<WorkBatch>().Chunks);
        Assert.Equal(2L, third.FirstIndex);
        _coordinator.Tell(Done(held[1], "b"), slot.Ref);
        _coordinator.Tell(Done(third, "c"), slot.Ref);
        AwaitCondition(() => output.Completions == 1);
        Assert.Equal(["a", "b", "c"], output.Delivered.Select(d => d.Value));
    }

    [Fact]
    public void ALostSlotsChunkGoesToAnotherSlotAndTheLateResultIsDropped()
    {
        var doomed = Slot(pid: 1);
        var (_, output) = Submit(items: 1);
        var chunk = Assert.Single(doomed.ExpectMsg<WorkBatch>().Chunks);
        var survivor = Slot(pid: 2);

        Sys.Stop(doomed.Ref);                                              // the slot's actor dies: death watch re-queues its chunk
        var again = Assert.Single(survivor.ExpectMsg<WorkBatch>().Chunks);
        Assert.Equal(chunk.ChunkId, again.ChunkId);

        _coordinator.Tell(Done(chunk, "late"), doomed.Ref);               // from the lost slot: dropped
        _coordinator.Tell(Done(again, "rerun"), survivor.Ref);
        AwaitCondition(() => output.Completions == 1);
        Assert.Equal(["rerun"], output.Delivered.Select(d => d.Value));
    }

    [Fact]
    public void AChunkLostWithTooManyWorkersFailsNamingItsItems()
    {
        var (call, output) = Submit(items: 1, list: new RecordingOutput(ordered: false, waitsForEveryItem: true)); // a Map
        for (var pid = 1; pid <= 2; pid++)
        {
            var slot = Slot(pid);
            slot.ExpectMsg<WorkBatch>();
            Sys.Stop(slot.Ref);
        }
        AwaitCondition(() => output.Completions == 1);
        var error = Assert.IsType<WorkerLostException>(output.Error);
        Assert.Contains("item 0 of T.M (0)", error.Message);
        Assert.Contains("took down 2 workers in a row", error.Message);
        Assert.Equal((0L, "(0)", 2), (error.ItemIndex, error.Arguments, error.WorkersLost));
        Assert.True(call.Finished);
    }

    [Fact]
    public void ResultsOfSeveralChunksInOneMessageAreEachDelivered()
    {
        var slot = Slot(pid: 1);
        var (_, output) = Submit(items: 2);
        var (first, second) = slot.ExpectMsg<WorkBatch>().Chunks switch { [var a, var b] => (a, b), var other => throw new Xunit.Sdk.XunitException($"{other.Length} chunks") };
        _coordinator.Tell(Done(first, "a"), slot.Ref);
        var repeat = Done(first, "a-again");                      // a repeat inside the batch is still dropped
        _coordinator.Tell(new ChunkResults([repeat, Done(second, "b")]), slot.Ref);
        AwaitCondition(() => output.Completions == 1);
        Assert.Equal(["a", "b"], output.Delivered.Select(d => d.Value));
    }

    [Fact]
    public void AChunkLostWithItsWorkerRunsAgainItemByItemEachAloneOnASlot()
    {
        var doomed = Slot(pid: 1);
        var (_, output) = Submit(items: 3, chunksize: 3);
        Assert.Equal(3, Assert.Single(doomed.ExpectMsg<WorkBatch>().Chunks).Count);
        var survivor = Slot(pid: 2);
        Sys.Stop(doomed.Ref);

        for (var item = 0; item < 3; item++)
        {
            // One item, alone: should this worker die too, that item is surely the one that kills workers.
            var piece = Assert.Single(survivor.ExpectMsg<WorkBatch>().Chunks);
            Assert.Equal((item, 1), (piece.FirstIndex, piece.Count));
            survivor.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
            _coordinator.Tell(Done(piece, $"r{item}"), survivor.Ref);
        }
        AwaitCondition(() => output.Completions == 1);
        Assert.Equal(["r0", "r1", "r2"], output.Delivered.Select(d => d.Value));
        Assert.Null(output.Error);
    }

    [Fact]
    public void AFailedItemsChunkMatesAfterItRunAsAChunkOfTheirOwn()
    {
        var slot = Slot(pid: 1);
        var (_, output) = Submit(items: 4, chunksize: 4, new RecordingOutput(ordered: false, waitsForEveryItem: true)); // a Map
        var chunk = Assert.Single(slot.ExpectMsg<WorkBatch>().Chunks);
        var error = new RemoteError(ErrorKind.UserCode, typeof(InvalidOperationException).AssemblyQualifiedName!, "bad item", "", "h", 1);
        // Item 0 done, item 1 failed; the worker stops the chunk there.
        _coordinator.Tell(new ChunkResult(chunk.CallId, chunk.ChunkId, 0, 1, PayloadSerializer.Serialize(new object?[] { "r0" }, "test"), error, true, 0.1), slot.Ref);
        var rest = Assert.Single(slot.ExpectMsg<WorkBatch>().Chunks);
        Assert.Equal((2L, 2), (rest.FirstIndex, rest.Count));
        _coordinator.Tell(new ChunkResult(rest.CallId, rest.ChunkId, 0, 2, PayloadSerializer.Serialize(new object?[] { "r2", "r3" }, "test"), null, true, 0.1), slot.Ref);
        AwaitCondition(() => output.Completions == 1);
        Assert.Equal(["r0", "r2", "r3"], output.Delivered.Select(d => d.Value));
        Assert.Equal("bad item", output.Error?.Message);
    }

    [Fact]
    public void ARecyclingWorkersChunksRunElsewhereWithoutCountingALoss()
    {
        var stuck = Slot(pid: 1);
        var (_, output) = Submit(items: 1);
        var chunk = Assert.Single(stuck.ExpectMsg<WorkBatch>().Chunks);
        var other = Slot(pid: 2);
        _coordinator.Tell(new Recycling(1, "a task would not stop"), stuck.Ref);
        var again = Assert.Single(other.ExpectMsg<WorkBatch>().Chunks);
        Assert.Equal(chunk.ChunkId, again.ChunkId);
        _coordinator.Tell(Done(again, "ok"), other.Ref);
        AwaitCondition(() => output.Completions == 1);
        Assert.Null(output.Error); // MaxRetries is 1 here: a counted loss would have been one step from failing it
    }

    [Fact]
    public void AnInterruptCancelsRunningTasksKeepsWhatFinishesInTheGraceAndThenFailsTheCall()
    {
        var slot = Slot(pid: 1);
        var (call, output) = Submit(items: 3, chunksize: 3);
        var chunk = Assert.Single(slot.ExpectMsg<WorkBatch>().Chunks);
        var caller = CreateTestProbe();
        _coordinator.Tell(new PoolCoordinator.Interrupt(TimeSpan.FromSeconds(30), done => new PoolInterruptedException($"{done} done")), caller.Ref);

        Assert.Equal(chunk.CallId, slot.ExpectMsg<DropCall>().CallId); // the running task's token is cancelled
        caller.ExpectNoMsg(TimeSpan.FromMilliseconds(100));           // still within the grace: its results may come
        // The worker sends what finished (item 0), and hands the rest back.
        _coordinator.Tell(new ChunkResult(chunk.CallId, chunk.ChunkId, 0, 1, PayloadSerializer.Serialize(new object?[] { "r0" }, "test"), null, false, 0.1), slot.Ref);
        _coordinator.Tell(new HandBack([chunk]), slot.Ref);

        caller.ExpectMsg<Done>(); // nothing held any more: no need to wait out the grace
        Assert.Equal(["r0"], output.Delivered.Select(d => d.Value));
        Assert.Equal("1 done", Assert.IsType<PoolInterruptedException>(output.Error).Message);
        Assert.True(call.Finished);
        slot.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // and nothing new was handed out
    }

    [Fact]
    public void ACallThatComesAfterTheInterruptFailsAtOnceWithTheInterruptsError()
    {
        var slot = Slot(pid: 1);
        var caller = CreateTestProbe();
        _coordinator.Tell(new PoolCoordinator.Interrupt(TimeSpan.FromSeconds(30), done => new PoolInterruptedException($"{done} done")), caller.Ref);
        caller.ExpectMsg<Done>(); // nothing was held: over at once

        var (late, output) = Submit(items: 2);
        AwaitCondition(() => output.Completions == 1);
        Assert.Equal("0 done", Assert.IsType<PoolInterruptedException>(output.Error).Message);
        Assert.True(late.Finished);
        slot.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // and none of it was handed out
    }

    [Fact]
    public void ASecondInterruptChangesNothing()
    {
        var slot = Slot(pid: 1);
        var (_, output) = Submit(items: 1);
        var chunk = Assert.Single(slot.ExpectMsg<WorkBatch>().Chunks);
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        _coordinator.Tell(new PoolCoordinator.Interrupt(TimeSpan.FromSeconds(30), done => new PoolInterruptedException("first")), first.Ref);
        _coordinator.Tell(new PoolCoordinator.Interrupt(TimeSpan.FromSeconds(30), done => new PoolInterruptedException("second")), second.Ref);
        _coordinator.Tell(new HandBack([chunk]), slot.Ref);

        first.ExpectMsg<Done>();
        Assert.Equal("first", Assert.IsType<PoolInterruptedException>(output.Error).Message);
        second.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    private RecordingOutput AMap() => new(ordered: false, waitsForEveryItem: true);

    /// <summary>
    /// A part whose results cannot be read here: its items run again each alone, so that only the one whose result
    /// cannot be read fails (it failed them all), and a Map still ends.
    /// </summary>
    [Fact]
    public void ResultsThatCannotBeReadRunAgainEachAloneAndOnlyTheUnreadableOneFails()
    {
        var slot = Slot(pid: 1);
        var (_, output) = Submit(items: 3, chunksize: 3, AMap());
        var chunk = Assert.Single(slot.ExpectMsg<WorkBatch>().Chunks);
        _coordinator.Tell(new ChunkResult(chunk.CallId, chunk.ChunkId, 0, 3, [1, 2, 3], null, true, 0.1), slot.Ref);
        var alone = new List<long>();
        while (alone.Count < 3)
            foreach (var single in slot.ExpectMsg<WorkBatch>().Chunks)
            {
                Assert.Equal(1, single.Count);
                alone.Add(single.FirstIndex);
                var payload = single.FirstIndex == 2 ? new byte[] { 1, 2, 3 }
                    : PayloadSerializer.Serialize(new object?[] { (int)single.FirstIndex * 10 }, "test");
                _coordinator.Tell(new ChunkResult(single.CallId, single.ChunkId, 0, 1, payload, null, true, 0.1), slot.Ref);
            }
        AwaitCondition(() => output.Completions == 1);
        Assert.Equal([0L, 1, 2], alone.Order());
        Assert.Equal([(0L, (object?)0), (1L, 10)], output.Delivered.OrderBy(d => d.Index));
        Assert.IsType<PayloadSerializationException>(output.Error);
    }

    [Fact]
    public void AWorkerThatCannotRunTheFunctionAtAllFailsTheWholeChunkAtOnce()
    {
        var slot = Slot(pid: 1);
        var (_, output) = Submit(items: 3, chunksize: 3, AMap());
        var chunk = Assert.Single(slot.ExpectMsg<WorkBatch>().Chunks);
        var error = new RemoteError(ErrorKind.Worker, typeof(InvalidOperationException).AssemblyQualifiedName!, "assembly missing", "", "h", 1);
        _coordinator.Tell(new ChunkResult(chunk.CallId, chunk.ChunkId, 0, 0, null, error, true, 0.1), slot.Ref);
        AwaitCondition(() => output.Completions == 1);
        Assert.Equal("assembly missing", output.Error?.Message);
        slot.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // the rest was not sent again, item by item
    }

    [Fact]
    public void ASuspectRunsAloneInItsProcessNotOnlyOnItsSlot()
    {
        var doomed = Slot(pid: 1);
        var (_, output) = Submit(items: 2, chunksize: 2);
        Assert.Single(doomed.ExpectMsg<WorkBatch>().Chunks);

        // A process with two slots: a crash would take both, so while one runs a suspect the other gets nothing.
        var host = CreateTestProbe();
        var (a, b) = (CreateTestProbe(), CreateTestProbe());
        _coordinator.Tell(new RegisterSlots("test-host", 2, [a.Ref, b.Ref], []), host.Ref);
        host.ExpectMsg<Welcome>();
        _coordinator.Tell(new RequestWork(1), a.Ref);
        _coordinator.Tell(new RequestWork(1), b.Ref);
        Sys.Stop(doomed.Ref);

        var (first, idle) = a.ReceiveWhile(TimeSpan.FromMilliseconds(500), m => m as WorkBatch).Count > 0 ? (a, b) : (b, a);
        idle.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(0, output.Completions);
    }
}
