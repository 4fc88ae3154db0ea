using static ClusterPool.Bench.TinyTasks;

namespace ClusterPool.Bench;

/// <summary>
/// Throughput against tasks per call (sweep.py): Map with the default chunksize, IMap with chunksize 1 and ApplyAsync
/// one by one, each over 1,000 to 1,000,000 tiny tasks (<see cref="Workloads.Square"/>), on one warmed pool. IMap with
/// chunksize 1 and ApplyAsync stop at <see cref="PerItemLimit"/> tasks: past it Python's side takes minutes. The bench
/// draws these figures as <c>throughput.png</c> (<see cref="BenchPlots"/>). Each figure is the best of
/// <see cref="BenchSettings.Repeat"/> runs, on both sides.
/// </summary>
internal static class SweepSuite
{
    /// <summary>The most tasks the per-item cases (IMap chunksize 1, ApplyAsync) run.</summary>
    public const int PerItemLimit = 100_000;

    /// <summary>The three series: case prefix (<c>map_n1000</c>, <c>imap_chunk1_n1000</c>, <c>apply_async_n1000</c>) and each side's name for it.</summary>
    public static readonly IReadOnlyList<(string Prefix, string Ours, string Python)> Series =
    [
        ("map", "Map (default chunksize)", "map (default chunksize)"),
        ("imap_chunk1", "IMap (chunksize 1)", "imap (chunksize 1)"),
        ("apply_async", "ApplyAsync (each)", "apply_async (each)"),
    ];

    /// <summary>The case name of <paramref name="prefix"/> at <paramref name="tasks"/> tasks per call.</summary>
    public static string Case(string prefix, int tasks) => $"{prefix}_n{tasks}";

    /// <summary>Runs the sweep; every figure is <c>tasks_per_s</c>, every result checked.</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        using var bench = BenchPool.StartReady(settings.Processes, cancel);
        var pool = bench.Pool;
        pool.Map(Workloads.Square, Items(100)); // warm up, as sweep.py does
        var figures = new List<Figure>();
        foreach (var n in settings.SweepSizes)
        {
            figures.Add(Throughput(Case("map", n), n, settings.Repeat, () => pool.Map(Workloads.Square, Items(n))));
            if (n > PerItemLimit) continue;
            figures.Add(Throughput(Case("imap_chunk1", n), n, settings.Repeat, () => pool.IMap(Workloads.Square, Items(n), chunksize: 1).ToList()));
            figures.Add(Throughput(Case("apply_async", n), n, settings.Repeat,
                () => Items(n).Select(x => pool.ApplyAsync(Workloads.Square, x)).ToList().Select(r => r.Get()).ToList()));
            cancel.ThrowIfCancellationRequested();
        }
        return figures;
    }
}
