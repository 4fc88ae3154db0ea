using ScottPlot;

namespace ClusterPool.Bench;

/// <summary>
/// The bench's two pictures, drawn from the figures of one run with ScottPlot: <c>throughput.png</c> (the sweep suite:
/// tasks per second against tasks per call, both sides) and <c>startup.png</c> (the startup_scale suite: seconds until
/// every worker is ready and until the first Map is done, against Processes, both sides).
/// </summary>
internal static class BenchPlots
{
    private const int Width = 1200, Height = 600;

    /// <summary>Writes the plots whose suites ran into <paramref name="folder"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<BenchRow> rows, string heading)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        if (rows.Any(r => r.Suite == "sweep")) written.Add(Throughput(Path.Combine(folder, "throughput.png"), rows, heading));
        if (rows.Any(r => r.Suite == "startup_scale")) written.Add(Startup(Path.Combine(folder, "startup.png"), rows, heading));
        return written;
    }

    private static string Throughput(string file, IReadOnlyList<BenchRow> rows, string heading)
    {
        var plot = new Plot();
        var colors = new[] { Colors.C0, Colors.C1, Colors.C2 };
        foreach (var ((prefix, ours, python), color) in SweepSuite.Series.Zip(colors))
        {
            var points = rows.Where(r => r.Suite == "sweep" && r.Case.StartsWith(prefix + "_n") && int.TryParse(r.Case[(prefix.Length + 2)..], out _))
                .Select(r => (Tasks: double.Parse(r.Case[(prefix.Length + 2)..]), r.Ours, r.Python)).OrderBy(p => p.Tasks).ToList();
            AddLine(plot, points.Select(p => (p.Tasks, p.Ours)), $"ClusterPool {ours}", color, LinePattern.Solid, log: true);
            AddLine(plot, points.Select(p => (p.Tasks, p.Python)), $"Python {python}", color, LinePattern.Dashed, log: true);
        }
        LogAxis(plot.Axes.Bottom, "tasks per call");
        LogAxis(plot.Axes.Left, "tasks per second");
        return Save(plot, file, "Throughput against tasks per call (tiny tasks; higher is better)", heading);
    }

    private static string Startup(string file, IReadOnlyList<BenchRow> rows, string heading)
    {
        var plot = new Plot();
        double? Value(BenchRow r, bool ours) => ours ? r.Ours : r.Python;
        var sizes = rows.Where(r => r.Suite == "startup_scale").Select(r => r.Case).Distinct().ToList();
        (double, double?) Point(string @case, string metric, bool ours) =>
            (double.Parse(@case["processes_".Length..]), rows.Where(r => r.Suite == "startup_scale" && r.Case == @case && r.Metric == metric).Select(r => Value(r, ours)).FirstOrDefault());
        AddLine(plot, sizes.Select(c => Point(c, "all_ready", true)), "ClusterPool: every worker ready", Colors.C0, LinePattern.Solid, log: true);
        AddLine(plot, sizes.Select(c => Point(c, "map_done", true)), "ClusterPool: first Map over all done", Colors.C1, LinePattern.Solid, log: true);
        AddLine(plot, sizes.Select(c => Point(c, "map_done", false)), "Python: first map over all done", Colors.C1, LinePattern.Dashed, log: true);
        AddLine(plot, sizes.Select(c => Point(c, "terminate", true)), "ClusterPool: Terminate", Colors.C2, LinePattern.Solid, log: true);
        AddLine(plot, sizes.Select(c => Point(c, "terminate", false)), "Python: terminate", Colors.C2, LinePattern.Dashed, log: true);
        // Both axes logarithmic: Python's times are milliseconds, ours seconds, and Processes doubles along the axis.
        LogAxis(plot.Axes.Bottom, "Processes (worker processes on 2 cores)");
        // Powers of ten say little between 2 and 64: tick the pool sizes measured instead.
        var measured = sizes.Select(c => double.Parse(c["processes_".Length..])).ToArray();
        plot.Axes.Bottom.SetTicks([.. measured.Select(Math.Log10)], [.. measured.Select(p => $"{p}")]);
        LogAxis(plot.Axes.Left, "seconds from Pool.Start");
        return Save(plot, file, "Start-up and Terminate against Processes (lower is better)", heading);
    }

    /// <summary>The soak suite's picture: memory of the coordinator and of the workers, and throughput, over the run.</summary>
    public static string Soak(string file, IReadOnlyList<SoakSuite.Sample> samples, string heading)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var plot = new Plot();
        double Minutes(SoakSuite.Sample s) => s.Seconds / 60;
        AddLine(plot, samples.Select(s => (Minutes(s), (double?)s.CoordinatorMiB)), "coordinator RSS (MiB, left)", Colors.C0, LinePattern.Solid);
        AddLine(plot, samples.Select(s => (Minutes(s), (double?)s.CoordinatorHeapMiB)), "coordinator managed heap (MiB, left)", Colors.C0, LinePattern.Dotted);
        AddLine(plot, samples.Select(s => (Minutes(s), (double?)s.CoordinatorGcCommittedMiB)), "memory the coordinator's GC holds (MiB, left)", Colors.C0, LinePattern.Dashed);
        AddLine(plot, samples.Select(s => (Minutes(s), (double?)s.WorkersMiB)), "all worker processes' RSS (MiB, left)", Colors.C1, LinePattern.Solid);
        // The IMap's tiny items go a thousand times faster than the Map's 10-ms tasks: a logarithmic axis shows both.
        foreach (var (phase, label, color) in new[] { (SoakSuite.Phase.IMap, "IMap: tiny items per second (right)", Colors.C2), (SoakSuite.Phase.Map, "Map: 10-ms tasks per second (right)", Colors.C3) })
        {
            var points = samples.Where(s => s.Phase == phase && s.ItemsPerSecond > 0).ToList();
            if (points.Count == 0) continue;
            var rate = plot.Add.ScatterPoints(points.Select(Minutes).ToArray(), points.Select(s => Math.Log10(s.ItemsPerSecond)).ToArray());
            rate.Axes.YAxis = plot.Axes.Right;
            rate.LegendText = label;
            rate.Color = color;
            rate.MarkerSize = 4;
        }
        plot.Axes.Bottom.Label.Text = "minutes";
        plot.Axes.Left.Label.Text = "MiB";
        plot.Axes.SetLimitsY(0, samples.Select(s => Math.Max(s.CoordinatorMiB, s.WorkersMiB)).DefaultIfEmpty(100).Max() * 1.15, plot.Axes.Left);
        LogAxis(plot.Axes.Right, "items per second (a sample every 5 s)");
        return Save(plot, file, "Soak: memory and throughput over time (a worker killed every minute)", heading);
    }

    /// <summary>
    /// One series; points without a value (a side that did not run) are left out, and so is an empty series. On a
    /// logarithmic plot the points are drawn as their base-10 logarithms (see <see cref="LogAxis"/>).
    /// </summary>
    private static void AddLine(Plot plot, IEnumerable<(double X, double? Y)> points, string label, Color color, LinePattern pattern, bool log = false)
    {
        var known = points.Where(p => p.Y is > 0).Select(p => (p.X, Y: p.Y!.Value)).ToList();
        if (known.Count == 0) return;
        var line = plot.Add.Scatter(
            known.Select(p => log ? Math.Log10(p.X) : p.X).ToArray(),
            known.Select(p => log ? Math.Log10(p.Y) : p.Y).ToArray());
        line.LegendText = label;
        line.Color = color;
        line.LinePattern = pattern;
        line.LineWidth = 2;
        line.MarkerSize = 7;
    }

    /// <summary>A base-10 logarithmic axis: ticks at whole powers of ten, labelled as the values, not their logarithms.</summary>
    private static void LogAxis(IAxis axis, string label)
    {
        axis.Label.Text = label;
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true, // whole powers of ten
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            LabelFormatter = log => Math.Pow(10, log) is var value && value < 1 ? value.ToString("0.###") : value.ToString("N0"),
        };
    }

    private static string Save(Plot plot, string file, string title, string heading)
    {
        plot.Title($"{title}\n{Wrap(heading, 110)}", size: 13);
        plot.ShowLegend(Edge.Right);
        plot.SavePng(file, Width, Height);
        return file;
    }

    /// <summary>Breaks <paramref name="text"/> into lines of at most about <paramref name="width"/> characters, at commas.</summary>
    private static string Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var part in text.Split(", "))
        {
            if (line.Length > 0 && line.Length + part.Length + 2 > width)
            {
                lines.Add(line + ",");
                line = part;
            }
            else line = line.Length == 0 ? part : $"{line}, {part}";
        }
        lines.Add(line);
        return string.Join("\n", lines);
    }
}
