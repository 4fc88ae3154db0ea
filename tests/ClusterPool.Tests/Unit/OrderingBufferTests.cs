using ClusterPool.Calls;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class OrderingBufferTests
{
    [Fact]
    public void ReleasesInInputOrderWhateverTheArrivalOrder()
    {
        var buffer = new OrderingBuffer<string>();
        var released = new List<long>();
        foreach (var index in new long[] { 2, 0, 3, 1, 5, 4 }) buffer.Add(index, $"r{index}", (at, _) => released.Add(at));
        Assert.Equal([0, 1, 2, 3, 4, 5], released);
        Assert.Equal(0, buffer.Waiting);
    }

    [Fact]
    public void HoldsLaterResultsUntilTheGapIsFilled()
    {
        var buffer = new OrderingBuffer<int>();
        var released = new List<long>();
        buffer.Add(1, 1, (at, _) => released.Add(at));
        buffer.Add(2, 2, (at, _) => released.Add(at));
        Assert.Empty(released);
        Assert.Equal(2, buffer.Waiting);
    }

    [Fact]
    public void ADuplicateIsReleasedOnce()
    {
        var buffer = new OrderingBuffer<int>();
        var released = new List<long>();
        buffer.Add(0, 0, (at, _) => released.Add(at));
        buffer.Add(0, 0, (at, _) => released.Add(at));
        buffer.Add(1, 1, (at, _) => released.Add(at));
        buffer.Add(1, 1, (at, _) => released.Add(at));
        Assert.Equal([0, 1], released);
    }
}
