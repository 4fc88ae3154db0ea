using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// Start-up against pool size (startup_scale.py): for each of <see cref="BenchSettings.ScaleProcesses"/>, a pool from
/// <c>Pool.Start</c> until every worker is ready, a Map over all of them (checked), how many workers were lost, and
/// how long Terminate takes. On a 2-core machine 64 workers oversubscribe the cores 32 times over: slower, never failed.
/// </summary>
internal static class ScaleStartupSuite
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>Runs the suite; per size P the case is <c>processes_P</c> with <c>all_ready</c>, <c>map_done</c>, <c>terminate</c> (s) and <c>workers_lost</c>.</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        var figures = new List<Figure>();
        foreach (var processes in settings.ScaleProcesses)
        {
            var clock = Stopwatch.StartNew();
            var pool = Pool.Start(new PoolOptions { Processes = processes });
            using var stop = cancel.Register(pool.Terminate);
            try
            {
                if (!pool.WaitUntilReady(Patience))
                    throw new TimeoutException($"only {pool.Slots} of {processes} workers were ready after {Patience.TotalSeconds:0} s");
                var ready = clock.Elapsed.TotalSeconds;
                var items = Enumerable.Range(0, processes * 4).Select(i => (long)i).ToList();
                BenchPool.Verify(pool.Map(Workloads.Square, items, chunksize: 1).SequenceEqual(items.Select(x => x * x)), $"Map over {processes} workers");
                var mapped = clock.Elapsed.TotalSeconds;
                var lost = pool.Statistics.WorkersLost;
                var terminating = Stopwatch.StartNew();
                pool.Terminate();
                var @case = $"processes_{processes}";
                figures.Add(new(@case, "all_ready", Math.Round(ready, 3), "s"));
                figures.Add(new(@case, "map_done", Math.Round(mapped, 3), "s"));
                figures.Add(new(@case, "terminate", Math.Round(terminating.Elapsed.TotalSeconds, 3), "s"));
                figures.Add(new(@case, "workers_lost", lost, "count"));
            }
            finally { pool.Dispose(); }
            cancel.ThrowIfCancellationRequested();
        }
        return figures;
    }
}
