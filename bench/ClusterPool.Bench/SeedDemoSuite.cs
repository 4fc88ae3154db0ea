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

    /// <summary>Runs the suite; one <c>METHOD/wall</c> figure per method and <c>all/wall</c>, in seconds.</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        var scale = settings.SeedScale;
        (double, string)[] data = [(3 * scale, "c"), (2 * scale, "b"), (1 * scale, "a")];
        var figures = new List<Figure>();
        var total = Stopwatch.StartNew();
        var adopted = 0;
        foreach (var (name, run) in DemoTasks.Methods)
        {
            var clock = Stopwatch.StartNew();
            IReadOnlyList<(double Seconds, string Text, int Ppid, int Pid)> rows;
            // Not waiting for the workers: Python's Pool() returns while its processes start, and calls queue meanwhile.
            using (var bench = BenchPool.Start(Processes, cancel))
            {
                rows = run(bench.Pool, data);
                adopted += bench.Pool.AdoptedSpares;
            }
            figures.Add(new Figure(name, "wall", Math.Round(clock.Elapsed.TotalSeconds, 3), "s"));
            var texts = rows.Select(r => r.Text).ToList();
            BenchPool.Verify(name == "imap_unordered" ? texts.Order().SequenceEqual(["a", "b", "c"]) : texts.SequenceEqual(["c", "b", "a"]),
                $"{name} returned [{string.Join(", ", texts)}]");
        }
        figures.Add(new Figure("all", "wall", Math.Round(total.Elapsed.TotalSeconds, 3), "s"));
        // Pools after the first adopt spares started ahead for them (SpareWorkers): how many of their workers were.
        figures.Add(new Figure("all", "spares_adopted", adopted, $"of {Processes * (DemoTasks.Methods.Length - 1)}"));
        return figures;
    }
}
