using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
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

    /// <summary>
    /// Parts that fit one message each but not together go in two: held 3.5 of 8 units, a part of 7 was added before
    /// the check, and Akka.Remote dropped the message of 10.5 (the call hung). Errors count with their texts.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NoMessageCarriesMoreThanOneFrame(bool asError)
    {
        var coordinator = CreateTestProbe();
        var outbox = new ResultOutbox(coordinator.Ref, ActorRefs.Nobody, 8_000, ResultHandOver.None);
        outbox.Post(new ChunkResult(1, 0, 0, 1, new byte[3_500], null, false, 0));
        var error = new RemoteError(ErrorKind.UserCode, "System.Exception", new string('x', 2_300), "", "host", 1);
        outbox.Post(asError
            ? new ChunkResult(1, 0, 1, 0, null, error, true, 0.0001)
            : new ChunkResult(1, 0, 1, 1, new byte[7_000], null, true, 0.0001));
        outbox.Flush();
        Assert.Equal(0, coordinator.ExpectMsg<ChunkResult>().Offset);
        Assert.Equal(1, coordinator.ExpectMsg<ChunkResult>().Offset);
    }

    /// <summary>
    /// A chunk's last results and its error, each under a frame but not together, go in two parts: in one, the
    /// message was over the frame, Akka.Remote dropped it, and the call hung.
    /// </summary>
    [Fact]
    public void AnErrorThatDoesNotFitBesideTheLastResultsGoesInAPartOfItsOwn()
    {
        var coordinator = CreateTestProbe();
        var budget = new FrameBudget(64 * 1024); // 48 KiB of payload a message
        var outbox = new ResultOutbox(coordinator.Ref, ActorRefs.Nobody, budget.MaxPayload, ResultHandOver.None);
        var sender = new ResultSender(outbox, budget, WorkerErrors.OfThisProcess);
        var function = new ClusterPool.Contracts.FunctionRef("A", "T", "M", [], Guid.NewGuid(), null, false);
        var chunk = new Chunk(1, 0, 0, 2, function, []);
        var error = new RemoteError(ErrorKind.UserCode, "System.Exception", new string('x', 700), "", "host", 1);
        sender.Send(chunk, new object?[] { new byte[48_000], null }, 1, error, Stopwatch.StartNew());
        outbox.Flush();
        var results = coordinator.ExpectMsg<ChunkResult>();
        Assert.Equal((0, 1, false, null), (results.Offset, results.Count, results.Complete, results.Error));
        var failure = coordinator.ExpectMsg<ChunkResult>();
        Assert.Equal((1, 0, true, error), (failure.Offset, failure.Count, failure.Complete, failure.Error));
    }
}
