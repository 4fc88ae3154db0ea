using System.Diagnostics;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>Per-task timeouts: a cooperative task stops at its deadline, a stubborn one is stopped with its process.</summary>
public class TimeoutTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void ACooperativeTaskIsCancelledAtItsDeadlineAndFailsNamingItself()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 2, TaskTimeout = TimeSpan.FromSeconds(1) });
        Assert.True(pool.WaitUntilReady(Patience));
        var workers = pool.LocalWorkerProcessIds.Order().ToList();
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<TaskTimeoutException>(() => pool.Map(FaultyFunctions.SleepCancellable, [0.1, 20, 0.1, 0.2], chunksize: 4));
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 5); // not the 20 s the task asked for
        Assert.Equal((1L, "(20)", TimeSpan.FromSeconds(1), false), (error.ItemIndex, error.Arguments, error.Timeout, error.WorkerRecycled));
        Assert.Contains("item 1 of", error.Message);
        Assert.Equal(workers, pool.LocalWorkerProcessIds.Order()); // it stopped by itself: no process recycled

        // A call of its own can yield a placeholder instead, and the rest of the call goes on.
        var results = pool.With(new CallOptions { OnTimeout = _ => -1.0 }).Map(FaultyFunctions.SleepCancellable, [0.1, 20, 0.2], chunksize: 3);
        Assert.Equal([0.1, -1.0, 0.2], results);
    }

    [Fact]
    public void AStubbornTaskIsStoppedByRecyclingItsWorkerAndTheRestOfTheCallGoesOn()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 2, Config = "clusterpool.stuck-task-grace = 1s" });
        Assert.True(pool.WaitUntilReady(Patience));
        var before = pool.LocalWorkerProcessIds.ToHashSet();
        var timed = pool.With(new CallOptions { TaskTimeout = TimeSpan.FromSeconds(1) });

        var clock = Stopwatch.StartNew();
        var items = new[] { 0.1, 0.1, 30, 0.1, 0.1, 0.1 };
        var error = Assert.Throws<TaskTimeoutException>(() => timed.Map(FaultyFunctions.SleepStubbornly, items, chunksize: 3));
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.9, 10); // timeout 1 s + grace 1 s, not 30 s
        Assert.Equal((2L, true), (error.ItemIndex, error.WorkerRecycled));
        Assert.Contains("recycled", error.Message);

        // The stuck process was replaced; the pool keeps its size.
        Wait.For(() => pool.LocalWorkerProcessIds is { Count: 2 } now && !now.ToHashSet().SetEquals(before),
            Patience, "2 workers again, not the ones before");
        Processes.AssertAllExited(before.Except(pool.LocalWorkerProcessIds));

        // With a placeholder, every other item's result arrives, in order.
        var placeholder = pool.With(new CallOptions { TaskTimeout = TimeSpan.FromSeconds(1), OnTimeout = e => -(int)e.ItemIndex });
        var pids = placeholder.Map(FaultyFunctions.SleepStubbornly, items, chunksize: 3);
        Assert.Equal(-2, pids[2]);
        Assert.All(pids.Where((_, i) => i != 2), pid => Assert.True(pid > 0));
        Assert.Equal(0, pool.Statistics.WorkersLost); // a recycled worker is not a lost one
    }
}
