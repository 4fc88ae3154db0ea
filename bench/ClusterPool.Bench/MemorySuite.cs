using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// Memory (memory.py): IMap over a lazy input of N items, chunksize 64, on a pool of 2, while the caller reads the first
/// ten results slowly (200 ms each). If the input ran ahead of the reader without bound, the caller's memory would
/// grow with N; Python's imap does exactly that. The figure is the peak working set (RSS) of this process during the
/// call, minus the working set just before it.
/// </summary>
internal static class MemorySuite
{
    private const int Processes = 2, Chunksize = 64, SlowReads = 10;
    private static readonly TimeSpan SlowRead = TimeSpan.FromMilliseconds(200);
    private const double MiB = 1024 * 1024;

    /// <summary>Runs the suite; figures are <c>imap_lazy/parent_peak_rss</c>, <c>imap_lazy/parent_rss_growth</c> (MiB) and <c>imap_lazy/wall</c> (s).</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        var n = settings.MemoryItems;
        using var bench = BenchPool.StartReady(Processes, cancel);
        var pool = bench.Pool;

        // Garbage of earlier suites must not be counted, nor freed during the call and hide growth.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = PeakRssSampler.Current();

        long got = 0, sum = 0;
        var clock = Stopwatch.StartNew();
        long peak;
        using (var sampler = PeakRssSampler.Start())
        {
            using var results = pool.IMap(Workloads.Square, Lazy(n), Chunksize, cancel);
            foreach (var square in results)
            {
                if (got < SlowReads) Thread.Sleep(SlowRead); // a slow consumer at first: the input must not run ahead unbounded
                got++;
                sum += square;
            }
            peak = sampler.Stop();
        }
        var wall = clock.Elapsed.TotalSeconds;
        BenchPool.Verify(got == n && sum == SumOfSquares(n), $"IMap returned {got} results of {n}, or a wrong sum");

        return
        [
            new("imap_lazy", "parent_peak_rss", Math.Round(peak / MiB, 1), "MiB"),
            new("imap_lazy", "parent_rss_growth", Math.Round((peak - baseline) / MiB, 1), "MiB"),
            new("imap_lazy", "wall", Math.Round(wall, 2), "s"),
        ];
    }

    /// <summary>A generator, as memory.py's <c>items(n)</c>: its length is unknown until it has been read.</summary>
    private static IEnumerable<long> Lazy(long n)
    {
        for (long i = 0; i < n; i++) yield return i;
    }

    // In 128 bits: the product overflows 64 bits long before the sum does; the cast wraps as the running sum does.
    private static long SumOfSquares(long n) => (long)((Int128)(n - 1) * n * (2 * n - 1) / 6);
}
