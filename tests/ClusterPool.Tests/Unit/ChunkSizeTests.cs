using ClusterPool.Calls;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class ChunkSizeTests
{
    [Theory]
    [InlineData(100_000, 2, 8, 12_500, 12_500)]  // Python: divmod(100000, 8) = (12500, 0): 8 chunks of 12,500
    [InlineData(100, 3, 12, 9, 8)]               // Python: divmod(100, 12) = (8, 4) -> 9: 11 chunks of 9 and one of 1
    [InlineData(51_200, 256, 1_024, 50, 50)]     // Python: 1,024 chunks of 50
    [InlineData(51_200, 1_024, 4_096, 13, 12)]   // Python: 3,938 chunks of 13 and one of 6
    [InlineData(3, 3, 3, 1, 1)]                  // Python: divmod(3, 12) = (0, 3) -> 1: 3 chunks of 1
    public void MapDefaultMakesPythonsNumberOfChunksEvenly(int items, int pool, int chunks, int largest, int smallest)
    {
        var sizes = Sizes(ChunkSize.ForMap(items, pool, unknownLength: 64), items);
        Assert.Equal(chunks, sizes.Count);
        Assert.Equal(items, sizes.Sum());
        Assert.Equal(largest, sizes.Max());
        Assert.Equal(smallest, sizes.Min());
        Assert.Equal(sizes.OrderDescending(), sizes); // the larger chunks first
    }

    [Fact]
    public void AnEmptyMapHasChunksOfOne() => Assert.Equal(ChunkPlan.Fixed(1), ChunkSize.ForMap(0, 4, 64));

    [Fact]
    public void ACallersChunksizeIsKeptForEveryChunk() => Assert.Equal([5, 5, 5, 2], Sizes(5, items: 17));

    /// <summary>The sizes of the chunks <paramref name="plan"/> cuts <paramref name="items"/> items into.</summary>
    private static List<int> Sizes(ChunkPlan plan, int items)
    {
        var sizes = new List<int>();
        for (var left = items; left > 0; left -= sizes[^1]) sizes.Add(Math.Min(left, plan.SizeOf(sizes.Count)));
        return sizes;
    }

    [Fact]
    public void MapDefaultForUnknownLengthIsTheConfiguredOneUnlessTheInputEndsWithinFourChunksASlot()
    {
        var plan = ChunkSize.ForMap(null, 4, 64);
        Assert.Equal(64, plan.Size);
        Assert.Equal(4 * 4 * 64, plan.LookAhead);
        Assert.Equal(ChunkSize.ForMap(100, 4, 64), plan.ForLength(100));
    }

    [Fact]
    public void ChunksizeBelowOneIsRefusedNamingIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ChunkSize.Checked(0));
        Assert.Equal("chunksize", error.ParamName);
    }
}
