using Akka.Actor;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Messages;
using ClusterPool.Dispatch;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class InFlightTableTests
{
    private static readonly FunctionRef Function = new("A", "T", "M", [], Guid.NewGuid(), null, false);

    private static Chunk NewChunk(long id, int count = 4) => new(1, id, id * count, count, Function, []);

    private static ChunkResult Part(long chunkId, int offset, int count, bool complete = true) =>
        new(1, chunkId, offset, count, [], null, complete, 0);

    /// <summary>
    /// A cancelled call's chunk that its slot runs stays held by that slot (a task that ignores its token runs on) until
    /// its last part or its hand-back comes; one it had not begun is let go at once.
    /// </summary>
    [Fact]
    public void AForgottenCallsRunningChunkHoldsItsSlotUntilItsWorkerSaysItEnded()
    {
        var table = new InFlightTable();
        var (stuck, stopping) = (new Slot(ActorRefs.Nobody, "h", 1), new Slot(ActorRefs.Nobody, "h", 2));
        var (running, queued, other) = (NewChunk(0), NewChunk(1), NewChunk(2));
        table.Assign(running, stuck);
        table.Assign(queued, stuck);
        table.Assign(other, stopping);
        table.ForgetCall(1);
        Assert.Equal([ChunkKey.Of(running)], stuck.Held);
        Assert.True(table.RunsForgotten(stuck));
        Assert.Null(table.Accept(Part(0, 0, 2, complete: false), stuck, out _)); // results so far: still running
        Assert.True(table.RunsForgotten(stuck));
        Assert.Null(table.Accept(Part(0, 2, 2), stuck, out _));
        Assert.Empty(stuck.Held);
        Assert.False(table.RunsForgotten(stuck));
        Assert.Null(table.Release(ChunkKey.Of(other), stopping)); // handed back when it stopped
        Assert.Empty(stopping.Held);
    }

    [Fact]
    public void AResultFromASlotThatNoLongerHoldsTheChunkIsDropped()
    {
        var table = new InFlightTable();
        var first = new Slot(ActorRefs.Nobody, "h", 1);
        var second = new Slot(ActorRefs.Nobody, "h", 2);
        var chunk = NewChunk(0);
        table.Assign(chunk, first);
        Assert.Single(table.LoseSlot(first));
        table.Assign(chunk, second);

        Assert.Null(table.Accept(Part(0, 0, 4), first, out _));   // the late result of the lost worker
        Assert.NotNull(table.Accept(Part(0, 0, 4), second, out _));
    }

    [Fact]
    public void AHandBackFromASlotThatNoLongerHoldsTheChunkDoesNotTakeItFromItsNewHolder()
    {
        var table = new InFlightTable();
        var retired = new Slot(ActorRefs.Nobody, "h", 1);
        var fresh = new Slot(ActorRefs.Nobody, "h", 2);
        var chunk = NewChunk(0);
        table.Assign(chunk, retired);
        Assert.Single(table.LoseSlot(retired, countLoss: false)); // its process exited before its hand-back arrived
        table.Assign(chunk, fresh);

        Assert.Null(table.Release(ChunkKey.Of(chunk), retired)); // the late hand-back
        Assert.Contains(ChunkKey.Of(chunk), fresh.Held);
        Assert.NotNull(table.Release(ChunkKey.Of(chunk), fresh));
    }

    [Fact]
    public void ARerunSkipsWhatWasAlreadyDelivered()
    {
        var table = new InFlightTable();
        var slot = new Slot(ActorRefs.Nobody, "h", 1);
        var chunk = NewChunk(0);
        table.Assign(chunk, slot);
        var entry = table.Accept(Part(0, 0, 2, complete: false), slot, out var skip)!;
        Assert.Equal(0, skip);
        entry.Delivered = 2;

        table.LoseSlot(slot);
        var again = new Slot(ActorRefs.Nobody, "h", 2);
        table.Assign(chunk, again);
        Assert.NotNull(table.Accept(Part(0, 0, 4), again, out skip));
        Assert.Equal(2, skip);
    }

    [Fact]
    public void LosingASlotCountsOneLossPerChunkAndFreesIt()
    {
        var table = new InFlightTable();
        var slot = new Slot(ActorRefs.Nobody, "h", 1);
        table.Assign(NewChunk(0), slot);
        table.Assign(NewChunk(1), slot);
        var lost = table.LoseSlot(slot);
        Assert.Equal(2, lost.Count);
        Assert.All(lost, e => Assert.Equal(1, e.Losses));
        Assert.Empty(slot.Held);
    }

    [Fact]
    public void CompletingFreesTheHolder()
    {
        var table = new InFlightTable();
        var slot = new Slot(ActorRefs.Nobody, "h", 1);
        var chunk = NewChunk(0);
        table.Assign(chunk, slot);
        table.Complete(ChunkKey.Of(chunk));
        Assert.Empty(slot.Held);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void AChunkLostWithItsWorkerIsSuspectAndItsPiecesInheritItsLosses()
    {
        var table = new InFlightTable();
        var first = new Slot(ActorRefs.Nobody, "h", 1);
        var chunk = NewChunk(0);
        table.Assign(chunk, first);
        Assert.False(table.IsSuspect(chunk));
        var lost = Assert.Single(table.LoseSlot(first));
        Assert.True(table.IsSuspect(chunk));

        var pieces = new[] { chunk with { ChunkId = -1, Count = 1 }, chunk with { ChunkId = -2, FirstIndex = 1, Count = 1 } };
        table.Replace(lost, pieces);
        Assert.All(pieces, p => Assert.True(table.IsSuspect(p)));
        var second = new Slot(ActorRefs.Nobody, "h", 2);
        table.Assign(pieces[0], second);
        Assert.True(table.HoldsSuspect(second));
        Assert.Null(table.Accept(Part(0, 0, 4), second, out _)); // the whole chunk is no longer in the table
    }

    [Fact]
    public void ChunksOfARecycledWorkerCountNoLoss()
    {
        var table = new InFlightTable();
        var slot = new Slot(ActorRefs.Nobody, "h", 1);
        var chunk = NewChunk(0);
        table.Assign(chunk, slot);
        Assert.Equal(0, Assert.Single(table.LoseSlot(slot, countLoss: false)).Losses);
        Assert.False(table.IsSuspect(chunk));
    }

    [Fact]
    public void TheHoldersOfACallsChunksAreKnownToTellThemItIsOver()
    {
        var table = new InFlightTable();
        var (a, b) = (new Slot(ActorRefs.Nobody, "h", 1), new Slot(ActorRefs.Nobody, "h", 2));
        table.Assign(NewChunk(0), a);
        table.Assign(NewChunk(1), b);
        table.Assign(NewChunk(2), b);
        Assert.Equal([1, 2], table.HoldersOf(1).Select(s => s.Pid).Order());
        Assert.Empty(table.HoldersOf(2));
    }

    // ---- backup copies (speculation) ----

    [Fact]
    public void ABackupCopyStartsAtTheFirstUndeliveredItemAndEitherCopysResultsAreTakenOnce()
    {
        var table = new InFlightTable();
        var (slow, fast) = (new Slot(ActorRefs.Nobody, "h", 1), new Slot(ActorRefs.Nobody, "h", 2));
        table.Assign(NewChunk(0), slow);
        var entry = table.Accept(Part(0, 0, 2, complete: false), slow, out _)!;
        entry.Delivered = 2;

        var backup = table.AddBackup(entry, fast);

        Assert.Equal((0L, 2), (backup.ChunkId, backup.StartAt));
        Assert.Equal([slow, fast], table.HoldersOf(1).OrderBy(s => s.Pid));
        Assert.NotNull(table.Accept(Part(0, 2, 1, complete: false), slow, out var skip));   // the first copy goes on
        Assert.Equal(0, skip);
        entry.Delivered = 3;
        Assert.NotNull(table.Accept(Part(0, 2, 2), fast, out skip));                         // the backup: item 2 is done
        Assert.Equal(1, skip);
        table.Complete(ChunkKey.Of(entry.Chunk));
        Assert.Null(table.Accept(Part(0, 3, 1), slow, out _));                               // the loser's last part
        Assert.Empty(slow.Held);
        Assert.Empty(fast.Held);
    }

    [Fact]
    public void WhenOneCopysWorkerIsLostTheOtherRunsOnAndNothingRunsAgain()
    {
        var table = new InFlightTable();
        var (first, second) = (new Slot(ActorRefs.Nobody, "h", 1), new Slot(ActorRefs.Nobody, "h", 2));
        table.Assign(NewChunk(0), first);
        var entry = table.Accept(Part(0, 0, 0, complete: false), first, out _)!;
        table.AddBackup(entry, second);

        Assert.Empty(table.LoseSlot(first));            // nothing to re-queue: the backup runs it

        Assert.Same(second, entry.Holder);
        Assert.Null(entry.Backup);
        Assert.False(entry.Suspect);                    // not charged while another copy runs it
        Assert.Null(table.Accept(Part(0, 0, 4), first, out _));
        Assert.NotNull(table.Accept(Part(0, 0, 4), second, out _));
        Assert.Equal(1, Assert.Single(table.LoseSlot(second)).Losses); // both lost: it runs again, charged once
    }

    [Fact]
    public void AHandBackOfOneCopyLeavesTheOtherRunning()
    {
        var table = new InFlightTable();
        var (first, second) = (new Slot(ActorRefs.Nobody, "h", 1), new Slot(ActorRefs.Nobody, "h", 2));
        var chunk = NewChunk(0);
        table.Assign(chunk, first);
        table.AddBackup(table.Accept(Part(0, 0, 0, complete: false), first, out _)!, second);

        Assert.Null(table.Release(ChunkKey.Of(chunk), second));
        Assert.Same(first, table.Accept(Part(0, 0, 4), first, out _)!.Holder);
        Assert.Empty(second.Held);
        Assert.Equal(1, table.Held);
    }

    [Fact]
    public void TheRunningChunkOfASlotIsTheFirstItWasSentAndBeganWhenTheOneBeforeEnded()
    {
        var table = new InFlightTable();
        var slot = new Slot(ActorRefs.Nobody, "h", 1);
        table.Assign(NewChunk(0), slot);
        table.Assign(NewChunk(1), slot);               // prefetched behind it

        var (entry, copy, since) = Assert.Single(table.Running());
        Assert.Equal(0L, entry.Chunk.ChunkId);
        Assert.Equal(copy.SentAt, since);

        table.Complete(new ChunkKey(1, 0));
        (entry, _, since) = Assert.Single(table.Running());
        Assert.Equal(1L, entry.Chunk.ChunkId);
        Assert.Equal(slot.FreedAt, since);             // not when it was sent: it waited behind chunk 0
        Assert.True(since > entry.First!.SentAt);
    }
}
