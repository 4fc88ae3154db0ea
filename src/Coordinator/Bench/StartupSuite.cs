using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// Pool start-up (startup.py): from <c>Pool.Start</c> to the first <c>Apply</c> result, and a clean Close()+Join().
/// It runs first, so like Python's fresh interpreter it pays for loading the code; unlike Python it also pays for
/// starting .NET worker processes that join the pool over Akka.Remote.
/// </summary>
internal static class StartupSuite
{
    /// <summary>Runs the suite; figures are <c>startup/first_result</c> and <c>startup/close_join</c> in seconds.</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        using var bench = BenchPool.Start(settings.Processes, cancel);
        var pool = bench.Pool;
        var first = pool.Apply(Workloads.Square, 3L);
        var firstResult = clock.Elapsed.TotalSeconds;
        BenchPool.Verify(first == 9, $"Square(3) returned {first}");

        // As startup.py: every worker has run something before the pool is closed.
        var items = Enumerable.Range(0, settings.Processes * 4).Select(i => (long)i).ToList();
        var squares = pool.Map(Workloads.Square, items, chunksize: 1);
        BenchPool.Verify(squares.SequenceEqual(items.Select(x => x * x)), "Map(Square) over the warm-up items");

        clock.Restart();
        pool.Close();
        pool.Join();
        var closeJoin = clock.Elapsed.TotalSeconds;
        return
        [
            new("startup", "first_result", Math.Round(firstResult, 4), "s"),
            new("startup", "close_join", Math.Round(closeJoin, 4), "s"),
        ];
    }
}
