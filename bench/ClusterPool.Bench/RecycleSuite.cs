using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// Workers that retire (recycle.py): <c>MaxTasksPerChild</c> of 1 and of 10, a Map of 40 CPU-busy tasks of 20 ms at
/// chunksize 1 on a pool whose workers are up. Every retirement costs a new worker process: Python forks one in
/// milliseconds, ClusterPool starts .NET and an actor system (about a second), so this measures that cost per task.
/// </summary>
internal static class RecycleSuite
{
    /// <summary>The tasks of each Map, and each task's milliseconds.</summary>
    public const int Tasks = 40, TaskMs = 20;

    /// <summary>The MaxTasksPerChild values measured.</summary>
    public static readonly int[] PerChild = [1, 10];

    /// <summary>Runs the suite; figures are <c>recycle/per_child_1</c> and <c>recycle/per_child_10</c> (seconds of the
    /// Map).</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        var figures = new List<Figure>();
        foreach (var perChild in PerChild)
        {
            using var bench = BenchPool.StartReady(
                new PoolOptions { Processes = settings.Processes, MaxTasksPerChild = perChild }, cancel);
            var clock = Stopwatch.StartNew();
            var done = bench.Pool.Map(Workloads.BusyWait, Enumerable.Repeat((double)TaskMs, Tasks), chunksize: 1);
            figures.Add(new("recycle", $"per_child_{perChild}", Math.Round(clock.Elapsed.TotalSeconds, 3), "s"));
            BenchPool.Verify(done.Count == Tasks && done.All(ms => ms == TaskMs), "Map(BusyWait) with MaxTasksPerChild");
        }
        return figures;
    }
}
