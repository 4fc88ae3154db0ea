using System.Diagnostics;

namespace ClusterPool.Bench.RealWork;

/// <summary>
/// User code as real batches write it (realwork.py): a book of options valued on a binomial tree over interface-held
/// curves and surfaces, a few milliseconds a trade. Serially in this process, then with Map on a pool of one process
/// and on a pool of <see cref="BenchSettings.Processes"/>. A worker should run the user's code as fast as the user's own
/// process does: <c>per_process</c> (serial time / Pool(1) time) near 1, and <c>efficiency</c> (speed-up / processes)
/// near 1 on idle cores. Each side is warmed up first (tiered compilation settles in either process).
/// </summary>
internal static class RealWorkSuite
{
    /// <summary>Trades valued before a clock starts, per process.</summary>
    private const int WarmUpTrades = 100;

    /// <summary>Runs the suite; figures of case <c>realwork</c>.</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        var book = OptionTrade.Book(settings.RealWorkTrades);
        var warmUp = OptionTrade.Book(WarmUpTrades * settings.Processes);

        foreach (var trade in warmUp.Take(WarmUpTrades)) RealWorkTasks.Value(trade);
        var clock = Stopwatch.StartNew();
        var serial = book.Select(RealWorkTasks.Value).ToList();
        var serialSeconds = clock.Elapsed.TotalSeconds;
        cancel.ThrowIfCancellationRequested();

        var oneSeconds = TimeMap(1, book, warmUp, serial, cancel);
        var manySeconds = TimeMap(settings.Processes, book, warmUp, serial, cancel);
        var speedup = serialSeconds / manySeconds;
        return
        [
            new("realwork", "trade_ms", Math.Round(serialSeconds / book.Count * 1000, 2), "ms"),
            new("realwork", "serial", Math.Round(serialSeconds, 3), "s"),
            new("realwork", "pool_1", Math.Round(oneSeconds, 3), "s"),
            new("realwork", $"pool_{settings.Processes}", Math.Round(manySeconds, 3), "s"),
            new("realwork", "per_process", Math.Round(serialSeconds / oneSeconds, 3), "x"),
            new("realwork", "speedup", Math.Round(speedup, 3), "x"),
            new("realwork", "efficiency", Math.Round(speedup / settings.Processes, 3), ""),
        ];
    }

    /// <summary>Seconds a Map of the book takes on a ready, warmed-up pool of <paramref name="processes"/>.</summary>
    private static double TimeMap(int processes, IReadOnlyList<OptionTrade> book, IReadOnlyList<OptionTrade> warmUp,
        IReadOnlyList<Valuation> serial, CancellationToken cancel)
    {
        using var bench = BenchPool.StartReady(processes, cancel);
        bench.Pool.Map(RealWorkTasks.Value, warmUp.Take(WarmUpTrades * processes), chunksize: 1);
        var clock = Stopwatch.StartNew();
        var results = bench.Pool.Map(RealWorkTasks.Value, book);
        var seconds = clock.Elapsed.TotalSeconds;
        BenchPool.Verify(results.SequenceEqual(serial), $"Map(Value) on {processes} processes differs from the serial valuations");
        return seconds;
    }
}
