using ClusterPool.Worker;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class ChunkQueueTests
{
    [Fact]
    public void ItemsComeOutInTheOrderTheyWentIn()
    {
        var queue = new ChunkQueue<string>();
        queue.Add("a");
        queue.Add("b");
        queue.Add("c");
        Assert.Equal(3, queue.Count);
        Assert.True(queue.TryTake(out var first));
        Assert.Equal("a", first);
        Assert.Equal(["b", "c"], queue.TakeAll());
        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryTake(out _));
    }

    [Fact]
    public async Task AWaitingTakeGetsTheNextItemAdded()
    {
        var queue = new ChunkQueue<string>();
        var taking = Task.Run(queue.Take);
        await Task.Delay(100);
        Assert.False(taking.IsCompleted);
        queue.Add("next");
        Assert.Equal("next", await taking.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task CompletingLetsTheQueuedItemsOutThenEndsEveryTake()
    {
        var queue = new ChunkQueue<string>();
        var waiting = Task.Run(queue.Take);
        await Task.Delay(100);
        queue.Complete();
        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));

        var stopped = new ChunkQueue<string>();
        stopped.Add("queued");
        stopped.Complete();
        stopped.Add("too late");
        Assert.Equal("queued", stopped.Take());
        Assert.Null(stopped.Take());
    }
}
