using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// Pool start-up (startup.py): from <c>Pool.Start</c> to the first <c>Apply</c> result, and a clean Close()+Join().
/// It runs first, so like Python's fresh interpreter it pays for loading the code; unlike Python it also pays for
/// starting .NET worker processes that join the pool over Akka.Remote. To show where the time goes, it also times
/// <c>Pool.Start</c> alone, the moment every worker has registered, and a second, warm start in this same process
/// (the coordinator's code already loaded and compiled, so only the worker processes start cold).
/// </summary>
internal static class StartupSuite
{
    /// <summary>
    /// Runs the suite; figures (seconds) are <c>startup/first_result</c> and <c>startup/close_join</c> as in the script,
    /// and <c>startup/start_returned</c>, <c>startup/all_workers_ready</c> and <c>startup_warm/first_result</c>.
    /// </summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        var figures = new List<Figure>();
        var cold = Stopwatch.StartNew();
        using (var bench = BenchPool.Start(settings.Processes, cancel))
        {
            var pool = bench.Pool;
            var started = cold.Elapsed.TotalSeconds;
            var first = pool.Apply(Workloads.Square, 3L);
            var firstResult = cold.Elapsed.TotalSeconds;
            BenchPool.Verify(first == 9, $"Square(3) returned {first}");
            pool.WaitUntilReady(TimeSpan.FromSeconds(60));
            var ready = cold.Elapsed.TotalSeconds;

            // As startup.py: every worker has run something before the pool is closed.
            var items = Enumerable.Range(0, settings.Processes * 4).Select(i => (long)i).ToList();
            var squares = pool.Map(Workloads.Square, items, chunksize: 1);
            BenchPool.Verify(squares.SequenceEqual(items.Select(x => x * x)), "Map(Square) over the warm-up items");

            var closing = Stopwatch.StartNew();
            pool.Close();
            pool.Join();
            figures.Add(new("startup", "first_result", Math.Round(firstResult, 4), "s"));
            figures.Add(new("startup", "close_join", Math.Round(closing.Elapsed.TotalSeconds, 4), "s"));
            figures.Add(new("startup", "start_returned", Math.Round(started, 4), "s"));
            figures.Add(new("startup", "all_workers_ready", Math.Round(ready, 4), "s"));
        }

        var warm = Stopwatch.StartNew();
        using (var bench = BenchPool.Start(settings.Processes, cancel))
        {
            var first = bench.Pool.Apply(Workloads.Square, 3L);
            figures.Add(new("startup_warm", "first_result", Math.Round(warm.Elapsed.TotalSeconds, 4), "s"));
            BenchPool.Verify(first == 9, $"Square(3) returned {first}");
        }
        return figures;
    }
}
