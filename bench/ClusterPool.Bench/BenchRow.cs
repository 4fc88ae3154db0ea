namespace ClusterPool.Bench;

/// <summary>One line of the comparison: a figure from ClusterPool and the same figure from Python, with its goal.</summary>
/// <param name="Suite">The suite that produced it (startup, overhead, cpu, memory, seed_demo).</param>
/// <param name="Case">The figure's case.</param>
/// <param name="Metric">The figure's metric.</param>
/// <param name="Unit">The figure's unit.</param>
/// <param name="Ours">ClusterPool's value; null if only Python reported it (or the C# side failed), or for an outcome.</param>
/// <param name="Python">Python's value; null if Python did not run or did not report it, or for an outcome.</param>
/// <param name="OursText">ClusterPool's outcome in words (see <see cref="Figure.Text"/>); null for a measurement.</param>
/// <param name="PythonText">Python's outcome in words; null for a measurement.</param>
public sealed record BenchRow(string Suite, string Case, string Metric, string Unit, double? Ours, double? Python,
    string? OursText = null, string? PythonText = null)
{
    /// <summary>Which way the figure is better.</summary>
    public Better Better => Targets.Direction(Case, Metric, Unit);

    /// <summary>
    /// How many times better ClusterPool is: ours/python for throughput, python/ours for times, so &gt; 1 always means
    /// ClusterPool is better. Null when a side is missing, a value is zero, or the figures are not comparable.
    /// </summary>
    public double? Ratio => (Ours, Python, Better) switch
    {
        ({ } o, { } p, Better.Higher) when p > 0 => o / p,
        ({ } o, { } p, Better.Lower) when o > 0 && p > 0 => p / o,
        _ => null,
    };

    /// <summary>The figure's goal, if it has one.</summary>
    public Target? Target => Targets.For(Case, Metric);

    /// <summary>Whether the goal is met; null without a goal or without the values it needs.</summary>
    public bool? Met => Target is { } t && Ours is { } o ? t.Check(o, Python) : null;

    /// <summary>Pairs each side's figures by case and metric, ClusterPool's order first, then Python-only figures.</summary>
    public static IReadOnlyList<BenchRow> Pair(string suite, IReadOnlyList<Figure> ours, IReadOnlyList<Figure> python)
    {
        var rows = ours.Select(o =>
        {
            var theirs = python.FirstOrDefault(p => p.Case == o.Case && p.Metric == o.Metric);
            return new BenchRow(suite, o.Case, o.Metric, o.Unit, o.Value, theirs?.Value, o.Text, theirs?.Text);
        }).ToList();
        rows.AddRange(python
            .Where(p => !ours.Any(o => o.Case == p.Case && o.Metric == p.Metric))
            .Select(p => new BenchRow(suite, p.Case, p.Metric, p.Unit, null, p.Value, null, p.Text)));
        return rows;
    }
}
