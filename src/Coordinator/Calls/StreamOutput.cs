using System.Threading.Channels;

namespace ClusterPool.Calls;

/// <summary>Feeds a call's results to an <see cref="IMapIterator{T}"/> as they come (in input order for
/// IMap).</summary>
internal sealed class StreamOutput<R>(bool ordered, AheadGate? gate = null) : CallOutput<R>
{
    private readonly Channel<StreamEntry<R>> _entries = Channel.CreateUnbounded<StreamEntry<R>>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = true });

    // Set when the call ends, read or not: the channel's own Completion waits for the reader too, and a Join behind an
    // iterator left unread (or disposed) waited for ever.
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChannelReader<StreamEntry<R>> Reader => _entries.Reader;

    /// <summary>Completes when the call has ended (every result delivered, or its error), whether or not they were
    /// taken.</summary>
    public Task Finished => _finished.Task;

    public override bool Ordered => ordered;

    public override void OnArrived(long bytes, int count) => gate?.OnArrived(bytes, count);

    public override void Deliver(long index, object? value) =>
        _entries.Writer.TryWrite(new StreamEntry<R>(value is null ? default! : (R)value, null));

    public override void DeliverError(long index, Exception error) =>
        _entries.Writer.TryWrite(new StreamEntry<R>(default!, error));

    public override void Complete(Exception? error)
    {
        if (error is not null) _entries.Writer.TryWrite(new StreamEntry<R>(default!, error));
        _entries.Writer.TryComplete();
        _finished.TrySetResult();
    }
}
