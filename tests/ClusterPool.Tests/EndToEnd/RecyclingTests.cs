using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>MaxMemoryPerChild: a worker past its memory limit is replaced between tasks, losing none.</summary>
public class RecyclingTests
{
    [Fact]
    public void AWorkerPastMaxMemoryPerChildIsReplacedWithoutLosingATask()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 1, MaxMemoryPerChild = 400L << 20 });
        // Each task leaks 120 MiB: a fresh worker (~100 MiB) passes 400 MiB after two or three of them.
        var pids = pool.Map(FaultyFunctions.Leak, Enumerable.Repeat(120, 8), chunksize: 1);
        Assert.Equal(8, pids.Count);
        var perProcess = pids.GroupBy(p => p).Select(g => g.Count()).ToList();
        Assert.True(perProcess.Count >= 2, $"expected the worker to be replaced, saw {string.Join(", ", pids)}");
        Assert.All(perProcess, n => Assert.InRange(n, 1, 4));
        Assert.Equal(0, pool.Statistics.WorkersLost);
    }
}
