using Akka.Actor;
using ClusterPool.Calls;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Contracts.Sharing;
using ClusterPool.Diagnostics;
using ClusterPool.Dispatch;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// <see cref="PayloadHandOver"/> alone, and the coordinator actor with it: big payloads to and from the pool's own
/// workers as files, nothing lost when a file cannot be read or written, and no file left behind.
/// </summary>
public sealed class PayloadHandOverTests : CoordinatorTestKit, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("clusterpool-handover-test-").FullName;

    public new void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        base.Dispose();
    }

    private static Chunk BigChunk(long id, int bytes = 4096) =>
        new(1, id, id, 1, Function, PayloadSerializer.Serialize(new[] { new byte[bytes] }, "test"), OneArgument: true);

    private string[] PayloadFiles() => [.. Directory.EnumerateFiles(_root, "*.payload", SearchOption.AllDirectories)];

    [Fact]
    public void OnlyBigPayloadsToThePoolsOwnWorkersGoAsFilesThatTheWorkerTakes()
    {
        long handedOver = 0;
        using var handOver = new PayloadHandOver(_root, above: 1024, bytes => handedOver += bytes);
        var (local, remote) = (new Slot(ActorRefs.Nobody, "h", 1, embedded: true), new Slot(ActorRefs.Nobody, "h", 2));
        var big = BigChunk(0);

        var sent = handOver.For(big, local);
        Assert.Empty(sent.Payload);
        Assert.Equal(big.Payload, HandOverFiles.Take(sent.PayloadFile!));   // the worker's side: read and removed
        Assert.Empty(PayloadFiles());
        Assert.Equal(big.Payload.Length, handedOver);

        Assert.Same(big, handOver.For(big, remote));                       // another machine: over the network
        var small = BigChunk(1, bytes: 100);
        Assert.Same(small, handOver.For(small, local));                    // small: a message costs less
        Assert.Null(handOver.Off);
    }

    [Fact]
    public void AFileNoWorkerReadIsRemovedOnceItsChunkIsNoLongerInFlightAndTheFolderWhenThePoolStops()
    {
        var handOver = new PayloadHandOver(_root, above: 1024);
        var local = new Slot(ActorRefs.Nobody, "h", 1, embedded: true);
        var (first, second) = (handOver.For(BigChunk(0), local), handOver.For(BigChunk(1), local));
        Assert.Equal(2, PayloadFiles().Length);

        handOver.Sweep(key => key.ChunkId == 1);                           // chunk 0 completed elsewhere
        Assert.False(File.Exists(first.PayloadFile));
        Assert.True(File.Exists(second.PayloadFile));
        var folder = handOver.Folder!;
        handOver.Dispose();
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void AFolderLeftByAPoolThatDiedIsRemovedAndALivePoolsIsKept()
    {
        using var living = new PayloadHandOver(_root, above: 1024);
        var local = new Slot(ActorRefs.Nobody, "h", 1, embedded: true);
        living.For(BigChunk(0), local);
        // a pool killed with its file in place: its folder and owner file, no one holding the claim
        var dead = Path.Combine(_root, HandOverFiles.FolderPrefix + "999999-dead");
        Directory.CreateDirectory(dead);
        File.WriteAllText(Path.Combine(dead, HandOverFiles.OwnerFile), "");
        File.WriteAllBytes(Path.Combine(dead, HandOverFiles.FileName(1, 0, 1)), new byte[4096]);

        using var next = new PayloadHandOver(_root, above: 1024);
        next.For(BigChunk(0), local);                                      // the next pool makes its folder

        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(living.Folder));
        Assert.NotEqual(living.Folder, next.Folder);
    }

    [Fact]
    public void AFolderThatCannotBeMadeTurnsHandOverOffAndTheChunkGoesWithItsBytes()
    {
        var notAFolder = Path.Combine(_root, "a-file");
        File.WriteAllText(notAFolder, "");
        using var handOver = new PayloadHandOver(notAFolder, above: 1024);
        var big = BigChunk(0);

        Assert.Same(big, handOver.For(big, new Slot(ActorRefs.Nobody, "h", 1, embedded: true)));
        Assert.Contains("could not be written", handOver.Off);
    }

    [Fact]
    public void AWorkerReadsAndRemovesNoFileButAHandedOverPayload()
    {
        var handOverFolder = Directory.CreateDirectory(Path.Combine(_root, HandOverFiles.FolderPrefix + "1")).FullName;
        var other = Directory.CreateDirectory(Path.Combine(_root, "other")).FullName;
        string[] files = [Path.Combine(other, "1-0-1.payload"), Path.Combine(handOverFolder, "notes.txt")];
        foreach (var file in files) File.WriteAllText(file, "keep");
        string[] paths =
        [
            .. files,
            Path.Combine(handOverFolder, "..", "other", "1-0-1.payload"),   // not in normal form
            "clusterpool-handover-1/1-0-1.payload",                          // relative
            handOverFolder + "/1-0-1\0.payload",                             // not a path at all (a NUL)
        ];

        foreach (var path in paths)
            Assert.Contains("is not a payload handed over by a pool",
                Assert.Throws<IOException>(() => HandOverFiles.Take(path)).Message);
        Assert.All(files, file => Assert.Equal("keep", File.ReadAllText(file)));
        // the pool takes back only results from its own folder, not a chunk's file
        var chunkFile = Path.Combine(handOverFolder, HandOverFiles.FileName(1, 0, 1));
        File.WriteAllText(chunkFile, "keep");
        Assert.Throws<IOException>(() => HandOverFiles.TakeResult(chunkFile, handOverFolder));
        Assert.True(File.Exists(chunkFile));
    }

    [Fact]
    public void AChunkWhoseFileTheWorkerCouldNotReadIsSentAgainWithItsBytesAndLaterOnesToo()
    {
        using var handOver = new PayloadHandOver(_root, above: 1024);
        var (coordinator, slot, welcome) = WithEmbeddedSlot(handOver, new PoolStatus());
        Assert.Equal(handOver.Folder, welcome.HandOverFolder);
        var output = SubmitBig(coordinator, items: 3);

        var held = slot.ExpectMsg<WorkBatch>().Chunks;
        Assert.All(held, chunk => Assert.Empty(chunk.Payload));
        File.Delete(held[0].PayloadFile!);                                  // gone before the worker read it
        coordinator.Tell(new HandBack([held[0]], "the file is gone"), slot.Ref);
        coordinator.Tell(new RequestWork(1), slot.Ref);

        var again = slot.ExpectMsg<WorkBatch>().Chunks;
        Assert.Equal(held[0].ChunkId, again[0].ChunkId);
        Assert.Null(again[0].PayloadFile);
        Assert.NotEmpty(again[0].Payload);
        Assert.Equal("the file is gone", handOver.Off);
        var answered = again.Append(held[1]).ToList();
        foreach (var chunk in answered) coordinator.Tell(Done(chunk, chunk.ChunkId), slot.Ref);
        if (answered.Count < 3)
        {
            var later = slot.ExpectMsg<WorkBatch>().Chunks;
            Assert.All(later, chunk => Assert.Null(chunk.PayloadFile));      // sent after: over the network
            foreach (var chunk in later) coordinator.Tell(Done(chunk, chunk.ChunkId), slot.Ref);
        }
        AwaitCondition(() => output.Completions == 1);
        Assert.Equal([0L, 1L, 2L], output.Delivered.Select(d => (long)d.Value!).Order());
        AwaitCondition(() => PayloadFiles().Length == 0);                   // held[1]'s file, never read, is removed
    }

    [Fact]
    public void AResultHandedOverIsReadAndItsFileRemoved()
    {
        var status = new PoolStatus();
        using var handOver = new PayloadHandOver(_root, above: 1024, status.HandedOver);
        var (coordinator, slot, welcome) = WithEmbeddedSlot(handOver, status);
        var output = SubmitBig(coordinator, items: 1);
        var chunk = Assert.Single(slot.ExpectMsg<WorkBatch>().Chunks);
        HandOverFiles.Take(chunk.PayloadFile!);

        var value = Enumerable.Range(0, 1000).Select(i => (double)i).ToArray();
        var file = Path.Combine(welcome.HandOverFolder!, HandOverFiles.ResultFileName(1, 1));
        File.WriteAllBytes(file, PayloadSerializer.Serialize(new object?[] { value }, "test"));
        coordinator.Tell(new ChunkResult(chunk.CallId, chunk.ChunkId, 0, 1, null, null, true, 0.1, file), slot.Ref);

        AwaitCondition(() => output.Completions == 1);
        Assert.Equal(value, (double[])Assert.Single(output.Delivered).Value!);
        Assert.False(File.Exists(file));
        Assert.True(status.Snapshot().HandedOverBytes > 8000);             // the argument's bytes and the result's
    }

    [Fact]
    public void AHandBackOfAChunkThatFinishedMeanwhileLeavesHandOverOn()
    {
        using var handOver = new PayloadHandOver(_root, above: 1024);
        var (coordinator, slot, _) = WithEmbeddedSlot(handOver, new PoolStatus());
        var output = SubmitBig(coordinator, items: 2);
        var held = slot.ExpectMsg<WorkBatch>().Chunks;

        coordinator.Tell(Done(held[0], 0L), slot.Ref);
        // the worker reached it before it heard: its file was already removed
        coordinator.Tell(new HandBack([held[0]], "Could not find file"), slot.Ref);
        coordinator.Tell(Done(held[1], 1L), slot.Ref);

        AwaitCondition(() => output.Completions == 1);
        Assert.Null(handOver.Off);
    }

    [Fact]
    public void AResultThatCannotBeReadStopsItsWorkerAndACraftedOneHarmsNothing()
    {
        using var handOver = new PayloadHandOver(_root, above: 1024);
        var coordinator = StartCoordinator(new PoolStatus(), handOver: handOver);
        var (host, slot) = (CreateTestProbe(), CreateTestProbe());
        coordinator.Tell(new RegisterSlots("test-host", 1, [slot.Ref], [], Embedded: true), host.Ref);
        var folder = host.ExpectMsg<Welcome>().HandOverFolder!;
        coordinator.Tell(new RequestWork(1), slot.Ref);
        var output = SubmitBig(coordinator, items: 1);
        var chunk = Assert.Single(slot.ExpectMsg<WorkBatch>().Chunks);

        // from no slot of the pool, naming what is not a path: dropped, the coordinator unharmed
        coordinator.Tell(new ChunkResult(1, chunk.ChunkId, 0, 1, null, null, true, 0, folder + "/r1-1\0.payload"));
        // from its worker, a file that is not there: that worker is stopped (its chunk runs again once it exits)
        coordinator.Tell(new ChunkResult(1, chunk.ChunkId, 0, 1, null, null, true, 0,
            Path.Combine(folder, HandOverFiles.ResultFileName(1, 9))), slot.Ref);

        Assert.Contains("could not be read", host.ExpectMsg<StopWorker>().Refusal);
        Assert.Contains("could not be read", handOver.Off);
        coordinator.Tell(Done(chunk, "after"), slot.Ref);
        AwaitCondition(() => output.Completions == 1);
        Assert.Equal("after", Assert.Single(output.Delivered).Value);
    }

    /// <summary>A coordinator with <paramref name="handOver"/>, and one slot of a worker it started.</summary>
    private (IActorRef Coordinator, Akka.TestKit.TestProbe Slot, Welcome Welcome) WithEmbeddedSlot(
        PayloadHandOver handOver, PoolStatus status)
    {
        var coordinator = StartCoordinator(status, handOver: handOver);
        return (coordinator, Slot(coordinator, pid: 1, out var welcome, embedded: true), welcome);
    }

    private static RecordingOutput SubmitBig(IActorRef coordinator, int items)
    {
        var output = new RecordingOutput(ordered: true);
        var input = Enumerable.Range(0, items).Select(_ => new byte[4096]).ToArray();
        var feeder = new InputFeeder<byte[]>(1, Function, input, 1, Budget, 8, null, oneArgument: true);
        var call = new Call(1, Function, feeder, output);
        feeder.Start();
        coordinator.Tell(new PoolCoordinator.SubmitCall(call));
        return output;
    }
}
