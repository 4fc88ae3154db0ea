using Akka.Actor;
using Akka.TestKit.Xunit2;
using ClusterPool.Calls;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Diagnostics;
using ClusterPool.Dispatch;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// Backup copies of straggling chunks, with the coordinator actor alone and test probes for slots: when a copy starts,
/// that the first to finish wins, that the other is told to stop, and that the caller sees each result once whatever
/// order the copies' parts come in.
/// </summary>
public class SpeculationTests : CoordinatorTestKit
{
    private readonly PoolStatus _status = new();
    private readonly IActorRef _coordinator;

    public SpeculationTests() => _coordinator = StartCoordinator(_status,
        new SpeculationSettings(1.5, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(50)));

    private Akka.TestKit.TestProbe Slot(int pid) => Slot(_coordinator, pid);

    private RecordingOutput Submit(int items, int chunksize, bool speculative = true)
    {
        var output = new RecordingOutput(ordered: true);
        var input = Enumerable.Range(0, items).Select(i => new object?[] { i }).ToArray();
        var feeder = new InputFeeder<object?[]>(1, Function, input, chunksize, Budget, 8, null);
        var call = new Call(1, Function, feeder, output, new CallSettings(TimeSpan.Zero, null, Speculative: speculative));
        feeder.Start();
        _coordinator.Tell(new PoolCoordinator.SubmitCall(call));
        return output;
    }

    /// <summary>Items <c>[offset, offset + values.Length)</c> of <paramref name="chunk"/>.</summary>
    private static ChunkResult Part(Chunk chunk, int offset, bool complete, double seconds, params string[] values) =>
        new(chunk.CallId, chunk.ChunkId, offset, values.Length, PayloadSerializer.Serialize(values, "test"), null,
            complete, seconds);

    /// <summary>Three slots each given one chunk of <paramref name="chunksize"/> items; the last two finish at once (0.01
    /// s an item), the first straggles.</summary>
    private (TestSlot Slow, TestSlot A, TestSlot B, RecordingOutput Output) TwoFinishedOneStraggling(int chunksize)
    {
        var slots = new[] { Slot(1), Slot(2), Slot(3) };
        var output = Submit(items: 3 * chunksize, chunksize);
        var held = slots.Select(s => new TestSlot(s, Assert.Single(s.ExpectMsg<WorkBatch>().Chunks))).ToArray();
        var slow = held.Single(h => h.Chunk.FirstIndex == 0);
        var done = held.Where(h => h != slow).ToArray();
        foreach (var d in done)
            _coordinator.Tell(Part(d.Chunk, 0, true, 0.01 * chunksize,
                [.. Enumerable.Range(0, chunksize).Select(i => $"{d.Chunk.FirstIndex + i}")]), d.Probe.Ref);
        return (slow, done[0], done[1], output);
    }

    private sealed record TestSlot(Akka.TestKit.TestProbe Probe, Chunk Chunk);

    /// <summary>The one backup copy sent to either idle slot, and that slot.</summary>
    private static (TestSlot Slot, Chunk Copy) BackupOn(TestSlot a, TestSlot b)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var s in new[] { a, b })
                if (s.Probe.HasMessages && s.Probe.ReceiveOne(TimeSpan.Zero) is WorkBatch { Chunks: [var chunk] })
                    return (s, chunk);
            Thread.Sleep(10);
        }
        throw new Xunit.Sdk.XunitException("no backup copy was started within 5 s");
    }

    [Fact]
    public void AStragglingChunkGetsABackupOnAnIdleSlotAndTheFirstToFinishWins()
    {
        var (slow, a, b, output) = TwoFinishedOneStraggling(chunksize: 1);

        var (backupSlot, copy) = BackupOn(a, b);
        Assert.Equal((slow.Chunk.ChunkId, 0), (copy.ChunkId, copy.StartAt));
        _coordinator.Tell(Part(copy, 0, true, 0.01, "backup"), backupSlot.Probe.Ref);

        var drop = slow.Probe.ExpectMsg<DropChunk>();                  // the slow copy is told to stop
        Assert.Equal((copy.CallId, copy.ChunkId), (drop.CallId, drop.ChunkId));
        _coordinator.Tell(Part(slow.Chunk, 0, true, 3, "late"), slow.Probe.Ref);
        AwaitCondition(() => output.Completions == 1);
        Assert.Equal(["backup", "1", "2"], output.Delivered.Select(d => d.Value));
        var statistics = _status.Snapshot();
        Assert.Equal((1L, 1L), (statistics.BackupCopiesStarted, statistics.BackupCopiesWon));
        Assert.True(statistics.BackupTimeSaved > TimeSpan.Zero, $"saved {statistics.BackupTimeSaved}");
    }

    [Fact]
    public void WhenTheFirstCopyFinishesFirstTheBackupIsToldToStopAndItsResultsAreDropped()
    {
        var (slow, a, b, output) = TwoFinishedOneStraggling(chunksize: 1);
        var (backupSlot, copy) = BackupOn(a, b);

        _coordinator.Tell(Part(slow.Chunk, 0, true, 1, "first"), slow.Probe.Ref);

        backupSlot.Probe.ExpectMsg<DropChunk>();
        _coordinator.Tell(Part(copy, 0, true, 0.01, "backup"), backupSlot.Probe.Ref);
        AwaitCondition(() => output.Completions == 1);
        Assert.Equal(["first", "1", "2"], output.Delivered.Select(d => d.Value));
        Assert.Equal((1L, 0L), (_status.Snapshot().BackupCopiesStarted, _status.Snapshot().BackupCopiesWon));
    }

    [Fact]
    public void TheBackupSkipsWhatTheFirstCopyDeliveredAndTheirPartsInterleaveWithoutARepeat()
    {
        var (slow, a, b, output) = TwoFinishedOneStraggling(chunksize: 4);
        _coordinator.Tell(Part(slow.Chunk, 0, false, 0, "s0", "s1"), slow.Probe.Ref); // items 0, 1 so far

        var (backupSlot, copy) = BackupOn(a, b);
        Assert.Equal(2, copy.StartAt);
        _coordinator.Tell(Part(slow.Chunk, 2, false, 0, "s2"), slow.Probe.Ref);          // the first copy goes on
        _coordinator.Tell(Part(copy, 2, true, 0.02, "b2", "b3"), backupSlot.Probe.Ref);  // item 2 again, then 3
        slow.Probe.ExpectMsg<DropChunk>();
        _coordinator.Tell(Part(slow.Chunk, 3, true, 5, "s3"), slow.Probe.Ref);          // too late

        AwaitCondition(() => output.Completions == 1);
        Assert.Equal(["s0", "s1", "s2", "b3", "4", "5", "6", "7", "8", "9", "10", "11"],
            output.Delivered.Select(d => d.Value));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), output.Delivered.Select(d => d.Index));
    }

    [Fact]
    public void WhenTheSlowCopysWorkerIsLostTheBackupFinishesTheChunkAndNothingRunsAgain()
    {
        var (slow, a, b, output) = TwoFinishedOneStraggling(chunksize: 1);
        var (backupSlot, copy) = BackupOn(a, b);
        var other = backupSlot == a ? b : a;

        Sys.Stop(slow.Probe.Ref);
        other.Probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));       // not re-queued: the backup runs it
        _coordinator.Tell(Part(copy, 0, true, 0.01, "backup"), backupSlot.Probe.Ref);

        AwaitCondition(() => output.Completions == 1);
        Assert.Equal(["backup", "1", "2"], output.Delivered.Select(d => d.Value));
    }

    [Fact]
    public void ABackupThatFailsWhileTheFirstCopyRunsEndsAloneAndTheFirstCopyDecides()
    {
        var (slow, a, b, output) = TwoFinishedOneStraggling(chunksize: 1);
        var (backupSlot, copy) = BackupOn(a, b);

        var error = new RemoteError(ErrorKind.Initializer, "System.Exception", "no licence on this machine", "",
            "h", 3);
        _coordinator.Tell(new ChunkResult(copy.CallId, copy.ChunkId, 0, 0, null, error, true, 0), backupSlot.Probe.Ref);
        // no other backup: one that failed would fail again, and be sent again every check
        a.Probe.ExpectNoMsg(TimeSpan.FromMilliseconds(600));
        b.Probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1L, _status.Snapshot().BackupCopiesStarted);
        _coordinator.Tell(Part(slow.Chunk, 0, true, 2, "first"), slow.Probe.Ref);

        AwaitCondition(() => output.Completions == 1);
        Assert.Null(output.Error);
        Assert.Equal(["first", "1", "2"], output.Delivered.Select(d => d.Value));
    }

    [Fact]
    public void AnItemThatKillsBothCopiesWorkersRunsAloneAfterwardsAndTheOthersDoNotFail()
    {
        var (slow, a, b, output) = TwoFinishedOneStraggling(chunksize: 4); // MaxRetries is 1
        var (backupSlot, _) = BackupOn(a, b);
        var other = backupSlot == a ? b : a;

        Sys.Stop(slow.Probe.Ref);      // the first copy's worker dies: the backup runs on, no loss charged yet
        Sys.Stop(backupSlot.Probe.Ref); // and the backup's: now the chunk runs item by item

        var piece = Assert.Single(other.Probe.ExpectMsg<WorkBatch>().Chunks);
        Assert.Equal((0L, 1), (piece.FirstIndex, piece.Count));
        Assert.Equal(0, output.Completions);
    }

    [Fact]
    public void ACallThatDidNotAskGetsNoBackup()
    {
        var slots = new[] { Slot(1), Slot(2), Slot(3) };
        var output = Submit(items: 3, chunksize: 1, speculative: false);
        var held = slots.Select(s => new TestSlot(s, Assert.Single(s.ExpectMsg<WorkBatch>().Chunks))).ToArray();
        foreach (var h in held.Where(h => h.Chunk.FirstIndex != 0))
            _coordinator.Tell(Part(h.Chunk, 0, true, 0.01, "x"), h.Probe.Ref);

        foreach (var h in held) h.Probe.ExpectNoMsg(TimeSpan.FromMilliseconds(700));
        Assert.Equal(0L, _status.Snapshot().BackupCopiesStarted);
        Assert.Equal(0, output.Completions);
    }
}
