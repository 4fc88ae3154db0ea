namespace ClusterPool.Bench;

/// <summary>
/// One measured figure, as the Python scripts print it: <c>{"case": ..., "metric": ..., "value": ..., "unit": ...}</c>.
/// The C# side uses the same case and metric names, so a figure from each side pairs up by them.
/// </summary>
/// <param name="Case">What ran, e.g. <c>imap_chunk1</c>.</param>
/// <param name="Metric">What was measured, e.g. <c>tasks_per_s</c>.</param>
/// <param name="Value">The measurement; null for an outcome (<paramref name="Text"/>).</param>
/// <param name="Unit">Its unit: <c>s</c>, <c>us</c>, <c>1/s</c>, <c>MiB</c>, <c>x</c> or empty.</param>
/// <param name="Text">
/// An outcome in words instead of a number, as worker_death.py reports <c>"hung (no result after 10 s)"</c>; null for
/// a measurement.
/// </param>
public sealed record Figure(string Case, string Metric, double? Value, string Unit, string? Text = null)
{
    /// <summary>An outcome in words: a figure with <see cref="Text"/> and no value.</summary>
    public static Figure Outcome(string @case, string metric, string text) => new(@case, metric, null, "", text);
}
