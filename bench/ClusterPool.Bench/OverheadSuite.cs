using System.Diagnostics;
using static ClusterPool.Bench.TinyTasks;

namespace ClusterPool.Bench;

/// <summary>
/// Per-task overhead (overhead.py): N tiny tasks (<see cref="Workloads.Square"/>) through Map with the default
/// chunksize, IMap and IMapUnordered with chunksize 1, IMap with chunksize 256, ApplyAsync one by one, and the
/// round trip of one Apply. Every result is checked, as the script checks its sums; each throughput case counts its
/// best of <see cref="BenchSettings.Repeat"/> runs, as the script does.
/// </summary>
internal static class OverheadSuite
{
    private const int RoundTrips = 1000;

    /// <summary>Runs the suite; throughput figures in tasks per second, the round trip in microseconds.</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        var n = settings.OverheadTasks;
        using var bench = BenchPool.StartReady(settings.Processes, cancel);
        var pool = bench.Pool;
        pool.Map(Workloads.Square, Items(100)); // warm up: every worker has loaded and compiled Square

        var repeat = settings.Repeat;
        var figures = new List<Figure>
        {
            // Items(n) has a known length, so Map picks Python's default chunksize: ceil(n / (4 × processes)).
            Throughput("map_default_chunks", n, repeat, () => pool.Map(Workloads.Square, Items(n))),
            Throughput("imap_chunk1", n, repeat, () => pool.IMap(Workloads.Square, Items(n), chunksize: 1).ToList()),
            Throughput("imap_unordered_chunk1", n, repeat, () => pool.IMapUnordered(Workloads.Square, Items(n), chunksize: 1).ToList()),
            Throughput("imap_chunk256", n, repeat, () => pool.IMap(Workloads.Square, Items(n), chunksize: 256).ToList()),
        };

        // Each ApplyAsync is its own call (its own call), as in Python; fewer of them, as there.
        var calls = Math.Min(n, 20_000);
        figures.Add(Throughput("apply_async_each", calls, repeat,
            () => Items(calls).Select(x => pool.ApplyAsync(Workloads.Square, x)).ToList().Select(r => r.Get()).ToList()));

        figures.AddRange(RoundTrip(pool));
        return figures;
    }

    /// <summary>
    /// 1000 sequential Apply calls: the mean latency (Python's figure), plus the median and 99th percentile, which
    /// show whether the mean is the network round trip or a few slow calls.
    /// </summary>
    private static IEnumerable<Figure> RoundTrip(Pool pool)
    {
        var (each, mean) = ApplyRoundTrips(pool, RoundTrips);
        return
        [
            new("apply_roundtrip", "latency", Math.Round(mean, 1), "us"),
            new("apply_roundtrip", "latency_p50", Math.Round(each[RoundTrips / 2], 1), "us"),
            new("apply_roundtrip", "latency_p99", Math.Round(each[RoundTrips * 99 / 100], 1), "us"),
        ];
    }
}
