using System.Diagnostics;
using ClusterPool.Contracts.Security;
using static ClusterPool.Bench.TinyTasks;

namespace ClusterPool.Bench;

/// <summary>
/// What mutually authenticated TLS costs (issue 12): the same work on two pools of the same size, one in plain text and
/// one with a cluster certificate (every connection, local workers' too, is TLS). Both pools run at once and the
/// measurements alternate between them, best of <see cref="BenchSettings.Repeat"/> each, so a drift of the machine's
/// speed falls on both sides. Map at the default chunking (the target: TLS costs at most 15 % of its
/// throughput), IMap with chunksize 1 (a message per item: the worst case), and the round trip of one Apply.
/// Python has no side here: its pool has no TLS.
/// </summary>
internal static class TlsSuite
{
    private const int RoundTrips = 1000;

    /// <summary>Runs the suite: each case's figure on both sides and TLS's cost in per cent.</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        var folder = Directory.CreateTempSubdirectory("clusterpool-bench-tls-").FullName;
        try
        {
            var node = ClusterCertificates.WriteNew(folder, "bench", TimeSpan.FromDays(1), password: null);
            using var plain = BenchPool.StartReady(new PoolOptions { Processes = settings.Processes }, cancel);
            using var tls = BenchPool.StartReady(new PoolOptions { Processes = settings.Processes, Certificate = node }, cancel);
            var n = settings.OverheadTasks;
            var cases = new (string Name, Func<Pool, double> Measure, Better Better, string Unit)[]
            {
                ("tls_map_default_chunks", pool => Rate(n, () => pool.Map(Workloads.Square, Items(n))), Better.Higher, "1/s"),
                ("tls_imap_chunk1", pool => Rate(n / 5, () => pool.IMap(Workloads.Square, Items(n / 5), chunksize: 1).ToList()), Better.Higher, "1/s"),
                ("tls_apply_roundtrip", RoundTrip, Better.Lower, "us"),
            };
            foreach (var pool in new[] { plain.Pool, tls.Pool }) pool.Map(Workloads.Square, Items(1000)); // warm up both

            var figures = new List<Figure>();
            foreach (var (name, measure, better, unit) in cases)
            {
                double bestPlain = better == Better.Higher ? 0 : double.MaxValue, bestTls = bestPlain;
                for (var round = 0; round < settings.Repeat; round++)
                {
                    cancel.ThrowIfCancellationRequested();
                    bestPlain = Best(better, bestPlain, measure(plain.Pool));
                    bestTls = Best(better, bestTls, measure(tls.Pool));
                }
                // The cost: the share of throughput TLS takes away, or how much longer a round trip takes.
                var cost = better == Better.Higher ? (1 - bestTls / bestPlain) * 100 : (bestTls / bestPlain - 1) * 100;
                figures.Add(new Figure(name, "plain", Math.Round(bestPlain, 1), unit));
                figures.Add(new Figure(name, "tls", Math.Round(bestTls, 1), unit));
                figures.Add(new Figure(name, "tls_cost", Math.Round(cost, 1), "%"));
            }
            return figures;
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static double Best(Better better, double best, double value) => better == Better.Higher ? Math.Max(best, value) : Math.Min(best, value);

    private static double Rate(int tasks, Func<IReadOnlyList<long>> run)
    {
        var expected = Items(tasks).Sum(x => x * x);
        var clock = Stopwatch.StartNew();
        var results = run();
        var seconds = clock.Elapsed.TotalSeconds;
        BenchPool.Verify(results.Count == tasks && results.Sum() == expected, $"{results.Count} results of {tasks}, or a wrong sum");
        return tasks / seconds;
    }

    // The median round trip of sequential Apply calls, in microseconds (the mean is at the mercy of one slow call).
    private static double RoundTrip(Pool pool) => ApplyRoundTrips(pool, RoundTrips).Sorted[RoundTrips / 2];
}
