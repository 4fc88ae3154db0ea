using System.Diagnostics;
using ClusterPool.Demo;

namespace ClusterPool.Bench;

/// <summary>
/// The seed article's demo (seed_demo.py): tasks sleeping 3, 2, 1 s (times the scale) through all eight methods, each
/// in a fresh pool of 3 as the script does, so each wall time includes starting and terminating that pool.
/// (<c>clusterpool demo</c> instead reuses one pool and prints every row.)
/// </summary>
internal static class SeedDemoSuite
{
    private const int Processes = 3;

    private delegate IReadOnlyList<(double Seconds, string Text, int Ppid, int Pid)> Method(Pool pool, (double, string)[] data);

    // The same eight calls as seed_demo.py's `methods`, in its order.
    private static readonly (string Name, Method Run)[] Methods =
    [
        ("apply", (pool, data) => data.Select(d => pool.Apply(DemoTasks.SleepTask, d.Item1, d.Item2)).ToList()),
        ("apply_async", (pool, data) => data.Select(d => pool.ApplyAsync(DemoTasks.SleepTask, d.Item1, d.Item2)).ToList().Select(r => r.Get()).ToList()),
        ("map", (pool, data) => pool.Map(DemoTasks.Star, data)),
        ("map_async", (pool, data) => pool.MapAsync(DemoTasks.Star, data).Get()),
        ("imap", (pool, data) => pool.IMap(DemoTasks.Star, data).ToList()),
        ("imap_unordered", (pool, data) => pool.IMapUnordered(DemoTasks.Star, data).ToList()),
        ("starmap", (pool, data) => pool.StarMap(DemoTasks.SleepTask, data)),
        ("starmap_async", (pool, data) => pool.StarMapAsync(DemoTasks.SleepTask, data).Get()),
    ];

    /// <summary>Runs the suite; one <c>METHOD/wall</c> figure per method and <c>all/wall</c>, in seconds.</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        var scale = settings.SeedScale;
        (double, string)[] data = [(3 * scale, "c"), (2 * scale, "b"), (1 * scale, "a")];
        var figures = new List<Figure>();
        var total = Stopwatch.StartNew();
        foreach (var (name, run) in Methods)
        {
            var clock = Stopwatch.StartNew();
            IReadOnlyList<(double Seconds, string Text, int Ppid, int Pid)> rows;
            // Not waiting for the workers: Python's Pool() returns while its processes start, and calls queue meanwhile.
            using (var bench = BenchPool.Start(Processes, cancel)) rows = run(bench.Pool, data);
            figures.Add(new Figure(name, "wall", Math.Round(clock.Elapsed.TotalSeconds, 3), "s"));
            var texts = rows.Select(r => r.Text).ToList();
            BenchPool.Verify(name == "imap_unordered" ? texts.Order().SequenceEqual(["a", "b", "c"]) : texts.SequenceEqual(["c", "b", "a"]),
                $"{name} returned [{string.Join(", ", texts)}]");
        }
        figures.Add(new Figure("all", "wall", Math.Round(total.Elapsed.TotalSeconds, 3), "s"));
        return figures;
    }
}
