using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// CPU-bound work (cpu.py): <see cref="Workloads.Spin"/> over the items, serially in this process and then with Map
/// on the pool; speed-up and parallel efficiency (speed-up / processes). The C# side spins
/// <see cref="BenchSettings.CpuRounds"/> rounds per item, many more than Python's, so that its serial time is of the
/// same order and the pool's fixed costs weigh about as much on both sides.
/// </summary>
internal static class CpuSuite
{
    /// <summary>Runs the suite; figures are <c>cpu/serial</c>, <c>cpu/pool</c> (s), <c>cpu/speedup</c> and <c>cpu/efficiency</c>.</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        var items = Enumerable.Repeat(settings.CpuRounds, settings.CpuItems).ToArray();

        var clock = Stopwatch.StartNew();
        var serial = items.Select(Workloads.Spin).ToArray();
        var serialSeconds = clock.Elapsed.TotalSeconds;
        cancel.ThrowIfCancellationRequested();

        double poolSeconds;
        using (var bench = BenchPool.StartReady(settings.Processes, cancel))
        {
            var pool = bench.Pool;
            pool.Map(Workloads.Spin, Enumerable.Repeat(10, settings.Processes).ToArray()); // warm up, as cpu.py
            clock.Restart();
            var parallel = pool.Map(Workloads.Spin, items);
            poolSeconds = clock.Elapsed.TotalSeconds;
            BenchPool.Verify(parallel.SequenceEqual(serial), "Map(Spin) differs from the serial results");
        }

        var speedup = serialSeconds / poolSeconds;
        return
        [
            new("cpu", "serial", Math.Round(serialSeconds, 3), "s"),
            new("cpu", "pool", Math.Round(poolSeconds, 3), "s"),
            new("cpu", "speedup", Math.Round(speedup, 3), "x"),
            new("cpu", "efficiency", Math.Round(speedup / settings.Processes, 3), ""),
        ];
    }
}
