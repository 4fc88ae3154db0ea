using System.Diagnostics;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// A long chunk sends its results as they finish, at least every second (<c>clusterpool.send-results-every</c>), so a
/// worker killed mid-chunk costs about a second of finished work, not the chunk (issue 13, point 4). Real processes:
/// one local worker runs a single chunk of 40 items of 100 ms and is killed with SIGKILL after about 25 of them.
/// </summary>
public sealed class PartialResultsTests : IDisposable
{
    private const int Items = 40, Millis = 100;
    private readonly string _folder = Directory.CreateTempSubdirectory("clusterpool-partial-").FullName;

    [Theory]
    [InlineData("Map")]            // typed results through the array path
    [InlineData("Map with a timeout")] // item by item, each with its own token and deadline
    public void AWorkerKilledMidChunkCostsAboutASecondOfFinishedWorkNotTheChunk(string how)
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 1 });
        Assert.True(pool.WaitUntilReady(TimeSpan.FromSeconds(60)));
        var calls = Enumerable.Range(0, Items).Select(i => (_folder, i, Millis)).ToList();
        var options = how == "Map" ? new CallOptions() : new CallOptions { TaskTimeout = TimeSpan.FromSeconds(30) };
        var pending = pool.With(options).MapAsync(TestFunctions.MarkedSleep, calls, chunksize: Items); // one chunk: 4 s of work

        var victim = pool.LocalWorkerProcessIds.Single();
        Wait.For(() => Started() >= 26, TimeSpan.FromSeconds(30), "the chunk to get going (26 items started)");
        Process.GetProcessById(victim).Kill();
        var results = pending.Get(TimeSpan.FromSeconds(60));

        Assert.Equal(Items, results.Count);
        var startedTwice = Directory.GetFiles(_folder).Select(f => Path.GetFileName(f).Split('-')[0]).GroupBy(item => item).Count(g => g.Count() > 1);
        // About 25 items had finished when the worker died. All but those of the last second (at most 10 items of
        // 100 ms) had reached the pool, and only the rest ran again, with the one that was running. Before results were
        // sent as they finished, all ~26 ran again.
        Assert.True(startedTwice is >= 1 and <= 12, $"{startedTwice} items started twice: " + string.Join(" ", Directory.GetFiles(_folder).Select(Path.GetFileName).Order()) + $" rerun={pool.Statistics.ItemsRerun} victim={victim}");
    }

    private int Started() => Directory.GetFiles(_folder).Length;

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
