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
        var (taking, taker) = StartTake(queue);
        // Either the take returns (the bug) or its thread waits: then it can only return for the next item.
        Wait.For(() => taking.IsCompleted || Waits(taker.Task));
        Assert.False(taking.IsCompleted);
        queue.Add("next");
        Assert.Equal("next", await taking.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task CompletingLetsTheQueuedItemsOutThenEndsEveryTake()
    {
        var queue = new ChunkQueue<string>();
        var (waiting, taker) = StartTake(queue);
        Wait.For(() => waiting.IsCompleted || Waits(taker.Task));
        Assert.False(waiting.IsCompleted);
        queue.Complete();
        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));

        var stopped = new ChunkQueue<string>();
        stopped.Add("queued");
        stopped.Complete();
        stopped.Add("too late");
        Assert.Equal("queued", stopped.Take());
        Assert.Null(stopped.Take());
    }

    /// <summary>Takes from <paramref name="queue"/> on a pool thread; <c>Taker</c> gives that thread.</summary>
    private static (Task<string?> Taking, TaskCompletionSource<Thread> Taker) StartTake(ChunkQueue<string> queue)
    {
        var taker = new TaskCompletionSource<Thread>(TaskCreationOptions.RunContinuationsAsynchronously);
        var taking = Task.Run(() =>
        {
            taker.SetResult(Thread.CurrentThread);
            return queue.Take();
        });
        return (taking, taker);
    }

    /// <summary>The thread, once known, is blocked (the take waits on the queue's monitor).</summary>
    private static bool Waits(Task<Thread> taker) =>
        taker.IsCompletedSuccessfully && (taker.Result.ThreadState & ThreadState.WaitSleepJoin) != 0;
}
