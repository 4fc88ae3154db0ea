using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>Every call reports its progress (IProgress, events), and <see cref="Pool.Statistics"/> shows the pool at work.</summary>
public class ProgressTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Keeps every report in the order heard (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    private sealed class Reports : IProgress<CallProgress>
    {
        public ConcurrentQueue<CallProgress> All { get; } = new();

        public void Report(CallProgress value) => All.Enqueue(value);
    }

    [Fact]
    public void AMapReportsDoneTotalRateAndEtaAsItGoesAndOnceWhenOver()
    {
        var reports = new Reports();
        using var pool = Pool.Start(new PoolOptions { Processes = 2 });
        Assert.True(pool.WaitUntilReady(Patience));
        var results = pool.With(new CallOptions { Progress = reports }).Map(TestFunctions.Sleep, Enumerable.Repeat(0.05, 40), chunksize: 1);
        Assert.Equal(40, results.Count);
        Wait.For(() => reports.All.Any(r => r.Finished));

        var all = reports.All.ToList();
        Assert.True(all.Count >= 4, $"only {all.Count} reports for a call of about a second");
        Assert.All(all, r => Assert.Equal(40, r.Total));
        Assert.All(all, r => Assert.EndsWith("TestFunctions.Sleep", r.Function));
        Assert.Equal(all.Select(r => r.Done).Order(), all.Select(r => r.Done)); // never goes back
        var last = all[^1];
        Assert.True(last.Finished);
        Assert.Equal(40, last.Done);
        Assert.Equal(0, last.Failed);
        Assert.Equal(1.0, last.Fraction);
        Assert.InRange(last.Rate, 10, 200); // 2 workers × 20 items/s, give or take start-up
        var middle = all.First(r => r.Done is > 5 and < 35);
        Assert.NotNull(middle.Eta);
        Assert.InRange(middle.Eta!.Value.TotalSeconds, 0.05, 10);
    }

    [Fact]
    public void AnIMapOverAGeneratorLearnsItsTotalAtTheEndAndCountsFailuresThroughItsEvent()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 2 });
        static IEnumerable<int> Generate() { for (var i = 0; i < 30; i++) yield return i; }
        var heard = new ConcurrentQueue<CallProgress>();
        using var iterator = pool.IMap(TestFunctions.FailOnThree, Generate(), chunksize: 1);
        iterator.ProgressChanged += (sender, progress) => { Assert.Same(iterator, sender); heard.Enqueue(progress); };
        var values = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            try { values.Add(iterator.Next(Patience)); }
            catch (LedgerException) { }
        }
        Wait.For(() => heard.Any(r => r.Finished));
        Assert.Equal(29, values.Count);
        Assert.Contains(heard, r => r.Total is null && !r.Finished); // a generator: no total until it is read to its end
        var last = heard.Last();
        Assert.True(last.Finished);
        Assert.Equal((29, 1, 30L), (last.Done, last.Failed, last.Total!.Value));
        Assert.Equal(last with { Elapsed = default }, iterator.Progress with { Elapsed = default });
    }

    [Fact]
    public void AHandlerAddedAfterTheCallEndedHearsItsLastReport()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 1 });
        var result = pool.MapAsync(TestFunctions.Square, Enumerable.Range(0, 10));
        result.Wait(Patience);
        var heard = new TaskCompletionSource<CallProgress>();
        result.ProgressChanged += (_, progress) => heard.TrySetResult(progress);
        Assert.True(heard.Task.Wait(TimeSpan.FromSeconds(5)), "no report after the call ended");
        Assert.Equal((10, 0, true), (heard.Task.Result.Done, heard.Task.Result.Failed, heard.Task.Result.Finished));
        Assert.Equal(10, result.Progress.Done);
    }

    [Fact]
    public void StatisticsShowBusyAndIdleSlotsQueuedItemsHostsAndWhatWasRunAgain()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 2 });
        Assert.True(pool.WaitUntilReady(Patience));
        var idle = pool.Statistics;
        Assert.Equal((2, 0, 2, 0L, 0), (idle.Slots, idle.BusySlots, idle.IdleSlots, idle.QueuedItems, idle.RunningCalls));

        var pending = pool.MapAsync(TestFunctions.Sleep, Enumerable.Repeat(0.3, 12), chunksize: 1);
        Wait.For(() => pool.Statistics.BusySlots == 2);
        var busy = pool.Statistics;
        Assert.Equal((2, 0, 1), (busy.BusySlots, busy.IdleSlots, busy.RunningCalls));
        Assert.InRange(busy.QueuedItems, 1, 10);
        var host = Assert.Single(busy.Hosts);
        Assert.Equal((Environment.MachineName, "127.0.0.1", 2, 2, 2), (host.Name, host.Address, host.Processes, host.Slots, host.BusySlots));

        // A worker killed mid-item: what it held runs again, and its host counts the loss.
        var victim = pool.LocalWorkerProcessIds.First();
        Process.GetProcessById(victim).Kill();
        Assert.Equal(12, pending.Get(Patience).Count);
        var after = pool.Statistics;
        Assert.Equal(12, after.ItemsDone);
        Assert.True(after.ItemsRerun >= 1, $"ItemsRerun {after.ItemsRerun}");
        Assert.Equal((0, 0L, 0), (after.BusySlots, after.QueuedItems, after.RunningCalls));
        var seen = Assert.Single(after.Hosts);
        Assert.Equal((12L, 1), (seen.ItemsDone, seen.WorkersLost));
        Assert.Equal(1, after.WorkersLost);
    }
}
