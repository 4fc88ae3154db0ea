using ClusterPool.Jobs;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class ChunkSizeTests
{
    [Theory]
    [InlineData(100_000, 2, 12_500)]   // divmod(100000, 8) = (12500, 0)
    [InlineData(100, 3, 9)]            // divmod(100, 12) = (8, 4) -> 9
    [InlineData(3, 3, 1)]              // divmod(3, 12) = (0, 3) -> 1
    [InlineData(0, 4, 1)]
    public void MapDefaultFollowsPythonsRule(int items, int pool, int expected) =>
        Assert.Equal(expected, ChunkSize.ForMap(items, pool, unknownLength: 64));

    [Fact]
    public void MapDefaultForUnknownLengthIsTheConfiguredOne() => Assert.Equal(64, ChunkSize.ForMap(null, 4, 64));

    [Fact]
    public void ChunksizeBelowOneIsRefusedNamingIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ChunkSize.Checked(0));
        Assert.Equal("chunksize", error.ParamName);
    }
}
