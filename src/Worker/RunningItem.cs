using System.Diagnostics;
using ClusterPool.Contracts.Messages;

namespace ClusterPool.Worker;

/// <summary>
/// The item a slot's runner is in the middle of, when it runs items one by one (a timeout is set, or the function
/// takes a <see cref="CancellationToken"/>): what the slot's watchdog and a call's cancellation need to reach it.
/// </summary>
internal sealed class RunningItem(Chunk chunk, int offset, object?[] results, CancellationTokenSource cancel)
{
    private const int Running = 0, Finished = 1, Abandoned = 2;
    private readonly long _started = Stopwatch.GetTimestamp();
    private int _state;

    public Chunk Chunk { get; } = chunk;

    /// <summary>The item's position in its chunk; <see cref="Results"/> before it are done.</summary>
    public int Offset { get; } = offset;

    public object?[] Results { get; } = results;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>Cancels the item's token (its call was cancelled, or its timeout passed); harmless once it is
    /// over.</summary>
    public void Cancel()
    {
        try { cancel.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    /// <summary>The runner's claim: the item returned. False when the watchdog gave up on it first.</summary>
    public bool TryFinish() => Interlocked.CompareExchange(ref _state, Finished, Running) == Running;

    /// <summary>The watchdog's claim: the item is stuck past its grace. False when it returned first.</summary>
    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Running) == Running;
}
