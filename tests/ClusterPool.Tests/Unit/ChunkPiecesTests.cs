using ClusterPool.Contracts;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Dispatch;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class ChunkPiecesTests
{
    private static readonly FunctionRef Function = new("A", "T", "M", [], Guid.NewGuid(), null, false);

    [Fact]
    public void ACutKeepsTheItemsIndicesTypesAndSettings()
    {
        var chunk = new Chunk(7, 3, 10, 4, Function, PayloadSerializer.Serialize(new[] { 10, 11, 12, 13 }, "test"), OneArgument: true,
            TaskTimeout: TimeSpan.FromSeconds(2));
        var next = 0L;
        var pieces = ChunkPieces.Cut(chunk, 1, 1, () => --next);
        Assert.Equal([11L, 12, 13], pieces.Select(p => p.FirstIndex));
        Assert.Equal([-1L, -2, -3], pieces.Select(p => p.ChunkId));
        Assert.All(pieces, p => Assert.Equal((7L, 1, true, TimeSpan.FromSeconds(2)), (p.CallId, p.Count, p.OneArgument, p.TaskTimeout)));
        Assert.Equal([12], PayloadSerializer.Deserialize<int[]>(pieces[1].Payload, "test"));

        var rest = Assert.Single(ChunkPieces.Cut(chunk, 2, chunk.Count, () => --next));
        Assert.Equal([12, 13], PayloadSerializer.Deserialize<int[]>(rest.Payload, "test"));
    }

    [Fact]
    public void AnItemIsDescribedByTheShortFormOfItsArguments()
    {
        object?[][] rows = [[1, "AAPL"], [2, new string('x', 100)], [3, new byte[4096]]];
        var chunk = new Chunk(1, 0, 0, 3, Function, PayloadSerializer.Serialize(rows, "test"));
        Assert.Equal("(1, \"AAPL\")", ChunkPieces.Describe(chunk, 0));
        Assert.Equal($"(2, \"{new string('x', 37)}...\")", ChunkPieces.Describe(chunk, 1));
        Assert.Equal("(3, Byte[][4096])", ChunkPieces.Describe(chunk, 2));
    }
}
