using ClusterPool.Contracts;
using ClusterPool.Dispatch;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class TaskTimingsTests
{
    private static readonly FunctionRef Function = new("A", "T", "M", [], Guid.NewGuid(), null, false);
    private readonly TaskTimings _timings = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(2), 256);

    [Fact]
    public void AnUnmeasuredFunctionGetsTheChunkASlotRunsAndOnePrefetched()
    {
        Assert.Equal(2, _timings.MaxHeld(Function, 1));
        Assert.False(_timings.IsShort(Function, 1));
    }

    [Fact]
    public void LongTasksAreNeverBatchedOnlyPrefetched()
    {
        _timings.Record(Function, 1, 3.0);
        Assert.Equal(2, _timings.MaxHeld(Function, 1));
        var oneAtATime = new TaskTimings(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(2), 256, prefetch: 0);
        oneAtATime.Record(Function, 1, 3.0);
        Assert.Equal(1, oneAtATime.MaxHeld(Function, 1)); // prefetch = 0: Python's one at a time
    }

    [Fact]
    public void ShortTasksAreBatchedToAboutTheTargetDuration()
    {
        _timings.Record(Function, 100, 0.001); // 10 µs per item
        Assert.Equal(256, _timings.MaxHeld(Function, 1));   // 5 ms / 10 µs = 500, capped
        Assert.Equal(5, _timings.MaxHeld(Function, 100));   // 1 ms chunks: 5 of them
    }
}
