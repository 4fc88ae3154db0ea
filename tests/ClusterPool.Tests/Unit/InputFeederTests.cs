using ClusterPool.Contracts;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Calls;
using ClusterPool.Checkpoints;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class InputFeederTests
{
    private static readonly FunctionRef Function = new("A", "T", "M", [], Guid.NewGuid(), null, false);

    private static IEnumerable<object?[]> Numbers(int count, int throwAt = -1)
    {
        for (var i = 0; i < count; i++)
        {
            if (i == throwAt) throw new FormatException($"bad input {i}");
            yield return [i];
        }
    }

    [Fact]
    public async Task ItemsAreCutIntoChunksOfChunksize()
    {
        var feeder = new InputFeeder<object?[]>(1, Function, Numbers(10), 4, new FrameBudget(128_000), 8, null);
        feeder.Start();
        var items = await Drain(feeder);
        var chunks = items.OfType<ChunkReady>().Select(c => c.Chunk).ToList();
        Assert.Equal([4, 4, 2], chunks.Select(c => c.Count));
        Assert.Equal([0L, 4, 8], chunks.Select(c => c.FirstIndex));
        Assert.Equal(new InputEnded(10, null), items[^1]);
    }

    [Fact]
    public async Task MapsDefaultChunksAreEvenlySizedTheLargerFirst()
    {
        // 10 items on one slot: Python's rule makes chunks of 3, 3, 3, 1; the same four chunks evenly are 3, 3, 2, 2.
        var feeder = new InputFeeder<object?[]>(1, Function, Numbers(10), ChunkSize.ForMap(10, 1, 64), new FrameBudget(128_000), 8, null);
        feeder.Start();
        var chunks = (await Drain(feeder)).OfType<ChunkReady>().Select(c => c.Chunk).ToList();
        Assert.Equal([3, 3, 2, 2], chunks.Select(c => c.Count));
        Assert.Equal([0L, 3, 6, 8], chunks.Select(c => c.FirstIndex));
    }

    /// <summary>
    /// A Map over an input of unknown length (an iterator, a LINQ Where) reads ahead to learn it, as Python's map makes
    /// a list of it: chunks of a fixed 64 ran a Map of 8 items on one worker while the others idled.
    /// </summary>
    [Fact]
    public async Task AMapOverAShortInputOfUnknownLengthIsCutByItsLengthALongOneInFixedChunks()
    {
        static IEnumerable<object?[]> Lazy(int count) => Numbers(count).Where(_ => true);
        var feeder = new InputFeeder<object?[]>(1, Function, Lazy(8), ChunkSize.ForMap(null, 2, 64), new FrameBudget(128_000), 8, null);
        feeder.Start();
        var chunks = (await Drain(feeder)).OfType<ChunkReady>().Select(c => c.Chunk).ToList();
        Assert.Equal(Enumerable.Repeat(1, 8), chunks.Select(c => c.Count)); // 4 chunks a slot at most, as with a list

        feeder = new InputFeeder<object?[]>(1, Function, Lazy(1_000), ChunkSize.ForMap(null, 1, 64), new FrameBudget(128_000), 8, null);
        feeder.Start();
        var items = await Drain(feeder);
        chunks = items.OfType<ChunkReady>().Select(c => c.Chunk).ToList();
        Assert.Equal([.. Enumerable.Repeat(64, 15), 40], chunks.Select(c => c.Count));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => 64L * i), chunks.Select(c => c.FirstIndex));
        Assert.Equal(new InputEnded(1_000, null), items[^1]);
    }

    [Fact]
    public async Task AChunkTooLargeForAFrameIsSplit()
    {
        var big = Enumerable.Range(0, 8).Select(i => new object?[] { new byte[20_000] });
        var feeder = new InputFeeder<object?[]>(1, Function, big, 8, new FrameBudget(16 * 1024 + 50_000), 8, null);
        feeder.Start();
        var chunks = (await Drain(feeder)).OfType<ChunkReady>().Select(c => c.Chunk).ToList();
        Assert.Equal(8, chunks.Sum(c => c.Count));
        Assert.True(chunks.Count >= 4);
        Assert.All(chunks, c => Assert.True(c.Payload.Length <= 50_000));
    }

    [Fact]
    public async Task OneArgumentTooLargeFailsAloneNamingBothSizesAndTheItemsAfterItStillGo()
    {
        // It ended the input there: an IMap's later items never ran, and its iterator said the results were over.
        IEnumerable<object?[]> input = [[1], [new byte[200_000]], [3]];
        var feeder = new InputFeeder<object?[]>(1, Function, input, 1, new FrameBudget(128_000), 8, null);
        feeder.Start();
        var items = await Drain(feeder);
        Assert.Equal([0L, 2], items.OfType<ChunkReady>().Select(c => c.Chunk.FirstIndex));
        var unsent = Assert.Single(items.OfType<ItemUnsent>());
        Assert.Equal(1, unsent.Index);
        var error = Assert.IsType<PayloadTooLargeException>(unsent.Error);
        Assert.Contains("item 1", error.Message);
        Assert.Contains("111,616", error.Message);
        Assert.Equal(new InputEnded(3, null), items[^1]);
    }

    [Fact]
    public async Task AnArgumentThatCannotBeSerializedFailsAloneInsideItsChunk()
    {
        IEnumerable<object?[]> input = [[1], [2], [new MemoryStream()], [4], [5]];
        var feeder = new InputFeeder<object?[]>(1, Function, input, 5, new FrameBudget(128_000), 8, null);
        feeder.Start();
        var items = await Drain(feeder);
        Assert.Equal(4, items.OfType<ChunkReady>().Sum(c => c.Chunk.Count));
        var unsent = Assert.Single(items.OfType<ItemUnsent>());
        Assert.Equal(2, unsent.Index);
        Assert.StartsWith("the arguments of item 2 (System.IO.MemoryStream) cannot be sent",
            Assert.IsType<PayloadSerializationException>(unsent.Error).Message);
        Assert.Equal(new InputEnded(5, null), items[^1]);
    }

    [Fact]
    public async Task AnArgumentTooLargeIsNamedByItsReadableType()
    {
        IEnumerable<object?[]> input = [[Enumerable.Range(0, 50_000).ToList(), 2.5]];
        var feeder = new InputFeeder<object?[]>(1, Function, input, 1, new FrameBudget(128_000), 8, null);
        feeder.Start();
        var unsent = Assert.Single((await Drain(feeder)).OfType<ItemUnsent>());
        // Not "List`1, Double"
        Assert.Contains("the arguments of item 0 (System.Collections.Generic.List<System.Int32>, System.Double)",
            Assert.IsType<PayloadTooLargeException>(unsent.Error).Message);
    }

    [Fact]
    public async Task AnExceptionFromTheInputEndsItAfterTheItemsBefore()
    {
        var feeder = new InputFeeder<object?[]>(1, Function, Numbers(10, throwAt: 3), 2, new FrameBudget(128_000), 8, null);
        feeder.Start();
        var items = await Drain(feeder);
        Assert.Equal(3, items.OfType<ChunkReady>().Sum(c => c.Chunk.Count));
        var end = Assert.IsType<InputEnded>(items[^1]);
        Assert.Equal(3, end.Total);
        Assert.Equal("bad input 3", Assert.IsType<FormatException>(end.Error).Message);
    }

    [Fact]
    public async Task TheInputIsReadLazilyWithinTheWindow()
    {
        var read = 0;
        IEnumerable<object?[]> Counted() { for (var i = 0; i < 1_000_000; i++) { read++; yield return [i]; } }
        var feeder = new InputFeeder<object?[]>(1, Function, Counted(), 10, new FrameBudget(128_000), 4, null);
        feeder.Start();
        // The window is full (four chunks ready) and the fifth chunk read: the feeder waits for room to write it, and
        // reads nothing more until a chunk is taken. A feeder that read ahead of its window would be past this by now.
        Wait.For(() => feeder.ReadyItems >= 40 && Volatile.Read(ref read) >= 50);
        Assert.InRange(Volatile.Read(ref read), 50, 10 * 6); // four chunks ready, one being written, one being filled
        feeder.Cancel();
    }

    [Fact]
    public async Task MapItemsTravelAsATypedArrayOfTheirSingleArgument()
    {
        var feeder = new InputFeeder<long>(1, Function, [1L, 2L, 3L], 3, new FrameBudget(128_000), 8, null, oneArgument: true);
        feeder.Start();
        var chunk = (await Drain(feeder)).OfType<ChunkReady>().Single().Chunk;
        Assert.True(chunk.OneArgument);
        Assert.Equal([1L, 2L, 3L], PayloadSerializer.Deserialize<long[]>(chunk.Payload, "test"));
    }

    /// <summary>An input that fails before its first item: its GetEnumerator throws (a file that cannot be
    /// opened).</summary>
    private sealed class UnopenableInput : IEnumerable<object?[]>
    {
        public IEnumerator<object?[]> GetEnumerator() => throw new FileNotFoundException("prices.csv is missing");
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public async Task AnInputWhoseGetEnumeratorThrowsEndsWithItsErrorInsteadOfNever()
    {
        var feeder = new InputFeeder<object?[]>(1, Function, new UnopenableInput(), 2, new FrameBudget(128_000), 8, null);
        feeder.Start();
        var end = Assert.IsType<InputEnded>(Assert.Single(await Drain(feeder)));
        Assert.Equal(0, end.Total);
        Assert.Equal("prices.csv is missing", Assert.IsType<FileNotFoundException>(end.Error).Message);
    }

    [Fact]
    public async Task ACheckpointDamagedPartWayEndsTheInputAfterTheRestoredItemsNamingTheFile()
    {
        var folder = Directory.CreateTempSubdirectory("clusterpool-feeder-").FullName;
        try
        {
            var path = Path.Combine(folder, "run.ckpt.db");
            CheckpointFiles.WriteSquares(path, "Square", "T.Square", 3000);
            CheckpointFiles.DamageMiddlePages(path);
            using var store = new CheckpointStore(path, NullLogger.Instance);
            var feeder = new InputFeeder<int>(1, Function, Enumerable.Range(0, 3000), 100, new FrameBudget(128_000), 8,
                null, oneArgument: true, checkpoint: store.BeginCall("Square", "T.Square", namedByCaller: true));
            feeder.Start();
            var items = await Drain(feeder);

            // The items before the damage come back from the checkpoint, in order; none is sent to a worker.
            var restored = items.OfType<ItemRestored>().Select(r => r.Index).ToList();
            Assert.Equal(Enumerable.Range(0, restored.Count).Select(i => (long)i), restored);
            Assert.Empty(items.OfType<ChunkReady>());
            var end = Assert.IsType<InputEnded>(items[^1]);
            Assert.Equal(restored.Count, end.Total);
            var error = Assert.IsType<CheckpointException>(end.Error);
            Assert.Equal(path, error.Path);
            Assert.Contains($"the checkpoint {path} is damaged", error.Message);
            Assert.Contains("delete it", error.Message);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static async Task<List<FeedItem>> Drain(IInputFeeder feeder)
    {
        var items = new List<FeedItem>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (feeder.TryTake(out var item))
            {
                items.Add(item);
                if (item is InputEnded) return items;
            }
            else await Task.Delay(1);
        }
        throw new TimeoutException("the feeder never ended");
    }
}
