namespace ClusterPool.Bench;

/// <summary>
/// One measured figure, as the Python scripts print it: <c>{"case": ..., "metric": ..., "value": ..., "unit": ...}</c>.
/// The C# side uses the same case and metric names, so a figure from each side pairs up by them.
/// </summary>
/// <param name="Case">What ran, e.g. <c>imap_chunk1</c>.</param>
/// <param name="Metric">What was measured, e.g. <c>tasks_per_s</c>.</param>
/// <param name="Value">The measurement.</param>
/// <param name="Unit">Its unit: <c>s</c>, <c>us</c>, <c>1/s</c>, <c>MiB</c>, <c>x</c> or empty.</param>
public sealed record Figure(string Case, string Metric, double Value, string Unit);
