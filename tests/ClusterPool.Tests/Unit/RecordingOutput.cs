using ClusterPool.Calls;

namespace ClusterPool.Tests.Unit;

/// <summary>A call output that records what reached it, for driving <see cref="Call"/> without an actor system.</summary>
internal sealed class RecordingOutput(bool ordered, bool waitsForEveryItem = false) : CallOutput
{
    public List<(long Index, object? Value)> Delivered { get; } = [];

    /// <summary>Failed items delivered in their place (streams), with the order they came in among <see cref="Delivered"/>.</summary>
    public List<(long Index, Exception Error)> Failed { get; } = [];

    /// <summary>Every item's outcome in delivery order: its value, or its exception.</summary>
    public List<(long Index, object? Outcome)> Outcomes { get; } = [];
    public int Completions { get; private set; }
    public Exception? Error { get; private set; }

    public override bool Ordered => ordered;
    public override bool WaitsForEveryItem => waitsForEveryItem;
    public override bool CanHold(object? value) => true;

    public override void Deliver(long index, object? value)
    {
        Delivered.Add((index, value));
        Outcomes.Add((index, value));
    }

    public override void DeliverError(long index, Exception error)
    {
        if (waitsForEveryItem) base.DeliverError(index, error); // a list output never gets one: the base throws
        Failed.Add((index, error));
        Outcomes.Add((index, error));
    }
    public override void Complete(Exception? error)
    {
        Completions++;
        Error = error;
    }
}
