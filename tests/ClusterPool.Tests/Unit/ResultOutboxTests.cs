using Akka.Actor;
using Akka.TestKit.Xunit2;
using ClusterPool.Contracts.Messages;
using ClusterPool.Worker;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>A slot's outbox: short chunks' results wait for company while more are queued; a long chunk's result does not.</summary>
public class ResultOutboxTests : TestKit
{
    private static ChunkResult Result(long chunkId, double seconds) => new(1, chunkId, 0, 1, [1], null, true, seconds);

    [Fact]
    public void AShortChunksResultWaitsWhileMoreAreQueued()
    {
        var coordinator = CreateTestProbe();
        var outbox = new ResultOutbox(coordinator.Ref, ActorRefs.Nobody, 128_000, ResultHandOver.None);
        outbox.Post(Result(0, 0.0001));
        outbox.FlushIfDue(queueEmpty: false);
        coordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        outbox.Post(Result(1, 0.0001));
        outbox.FlushIfDue(queueEmpty: true);
        Assert.Equal(2, coordinator.ExpectMsg<ChunkResults>().Parts.Length);
    }

    [Fact]
    public void ALongChunksResultGoesAtOnceThoughItsSlotHoldsAPrefetchedChunk()
    {
        // A long chunk is queued behind another only as its slot's prefetch: held, its result waited for the whole next
        // task, and the coordinator sent the slot nothing more meanwhile.
        var coordinator = CreateTestProbe();
        var outbox = new ResultOutbox(coordinator.Ref, ActorRefs.Nobody, 128_000, ResultHandOver.None);
        outbox.Post(Result(0, 0.5));
        outbox.FlushIfDue(queueEmpty: false);
        Assert.Equal(0L, coordinator.ExpectMsg<ChunkResult>(TimeSpan.FromSeconds(1)).ChunkId);
    }
}
