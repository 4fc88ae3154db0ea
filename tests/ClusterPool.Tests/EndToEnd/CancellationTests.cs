using System.Diagnostics;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>A caller's CancellationToken drops queued work and reaches the running function's own token.</summary>
[Collection("shared pool")]
public class CancellationTests(SharedPool shared)
{
    private readonly Pool _pool = shared.Pool;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void CancellingTheCallCancelsTheRunningFunctionsToken()
    {
        var marker = Path.GetTempFileName();
        try
        {
            using var cancel = new CancellationTokenSource();
            var call = _pool.ApplyAsync(FaultyFunctions.WaitForCancel, marker, cancellationToken: cancel.Token);
            Wait.For(() => Read(marker) == "started", Patience, "the task to start");
            var clock = Stopwatch.StartNew();
            cancel.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => call.Get(Patience));
            Wait.For(() => Read(marker), said => said == "cancelled", TimeSpan.FromSeconds(5),
                "the function's token to be cancelled (the function writes \"cancelled\")");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
            Assert.Equal(shared.WorkerPids.Order(), _pool.LocalWorkerProcessIds.Order()); // cooperative: no worker recycled
        }
        finally { File.Delete(marker); }
    }

    [Fact]
    public void CancellingAStarMapDropsItsQueuedItems()
    {
        var log = Path.GetTempFileName();
        try
        {
            using var cancel = new CancellationTokenSource();
            var call = _pool.StarMapAsync(FaultyFunctions.StartAndSleep, Enumerable.Range(0, 60).Select(x => (x, log)), chunksize: 1,
                cancellationToken: cancel.Token);
            Wait.For(() => Lines(log) >= 2, Patience, "two items to start");
            cancel.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => call.Get(Patience));
            var atCancel = Lines(log);
            // The pool is idle: no slot holds an item, none is queued, no call runs. Items not dropped would keep it
            // busy for the 9 s that 60 items of 300 ms take on 2 workers, and would all have started by then.
            Wait.For(() => _pool.Statistics is { BusySlots: 0, QueuedItems: 0, RunningCalls: 0 }, Patience,
                "the pool to be idle after the cancel");
            Assert.InRange(Lines(log), atCancel, atCancel + 2);
            Assert.True(Lines(log) < 15, $"{Lines(log)} of 60 items started after the call was cancelled");
            Assert.Equal([1, 4], _pool.Map(TestFunctions.Square, [1, 2])); // the slots are free again
        }
        finally { File.Delete(log); }
    }

    /// <summary>
    /// While a cancelled task that ignores its token runs on, its slot counts as busy and gets no work: the next call
    /// runs on the other worker. The slot counted as idle at once and was given work that waited behind the task.
    /// </summary>
    [Fact]
    public void ACancelledTaskThatRunsOnKeepsItsSlotBusyAndTheNextCallRunsElsewhere()
    {
        using (var cancel = new CancellationTokenSource())
        {
            var stubborn = _pool.ApplyAsync(FaultyFunctions.SleepStubbornly, 2.0, cancellationToken: cancel.Token);
            Wait.For(() => _pool.Statistics.BusySlots == 1, Patience, "the stubborn task to be sent");
            cancel.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => stubborn.Get(Patience));
        }
        Assert.Equal(1, _pool.Statistics.BusySlots);
        var pids = _pool.Map(TestFunctions.Pid, Enumerable.Range(0, 4), chunksize: 1);
        Assert.Single(pids.Distinct()); // none waited behind the stubborn task on its worker
        Wait.For(() => _pool.Statistics.BusySlots == 0, Patience, "the stubborn task to end and free its slot");
        Assert.Equal(shared.WorkerPids.Order(), _pool.LocalWorkerProcessIds.Order()); // it ended in time: no recycling
    }

    /// <summary>
    /// A cancelled task that ignores cancellation (and has no TaskTimeout) must not hold its slot for ever: past the
    /// stuck-task grace its worker is recycled, and the next call runs at once instead of waiting behind it.
    /// </summary>
    [Fact]
    public void ACancelledTaskThatWillNotStopGetsItsWorkerRecycledAndTheNextCallRuns()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 1, Config = "clusterpool.stuck-task-grace = 1s" });
        Assert.True(pool.WaitUntilReady(Patience));
        var first = pool.LocalWorkerProcessIds.Single();
        using (var cancel = new CancellationTokenSource())
        {
            var stubborn = pool.MapAsync(FaultyFunctions.SleepStubbornly, [600.0], cancellationToken: cancel.Token);
            Assert.Throws<TimeoutException>(() => stubborn.Get(TimeSpan.FromSeconds(1)));
            cancel.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => stubborn.Get(Patience));
        }
        var clock = Stopwatch.StartNew();
        Assert.Equal([1, 4], pool.Map(TestFunctions.Square, [1, 2])); // not queued behind the stubborn task
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the next call took {clock.Elapsed}");
        Assert.DoesNotContain(first, pool.LocalWorkerProcessIds); // the stuck worker was replaced
        Assert.Equal(0, pool.Statistics.WorkersLost);
    }

    private static string Read(string path)
    {
        try { return File.ReadAllText(path); } catch (IOException) { return ""; }
    }

    private static int Lines(string path)
    {
        try { return File.ReadAllLines(path).Length; } catch (IOException) { return 0; }
    }
}
