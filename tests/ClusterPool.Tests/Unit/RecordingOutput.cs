using ClusterPool.Jobs;

namespace ClusterPool.Tests.Unit;

/// <summary>A job output that records what reached it, for driving <see cref="Job"/> without an actor system.</summary>
internal sealed class RecordingOutput(bool ordered, bool waitsForEveryItem = false) : JobOutput
{
    public List<(long Index, object? Value)> Delivered { get; } = [];
    public int Completions { get; private set; }
    public Exception? Error { get; private set; }

    public override bool Ordered => ordered;
    public override bool WaitsForEveryItem => waitsForEveryItem;
    public override void Deliver(long index, object? value) => Delivered.Add((index, value));
    public override void Complete(Exception? error)
    {
        Completions++;
        Error = error;
    }
}
