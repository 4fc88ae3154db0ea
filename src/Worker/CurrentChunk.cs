using System.Diagnostics;
using ClusterPool.Contracts.Messages;

namespace ClusterPool.Worker;

/// <summary>
/// What a slot's runner thread runs now, as its watchdog (a timer thread) sees it: the chunk, the item when items run
/// one by one, when the chunk's call was cancelled, and whether the watchdog gave the chunk up. Thread-safe.
/// </summary>
internal sealed class CurrentChunk
{
    private volatile Chunk? _chunk;
    private volatile RunningItem? _item;
    private long _cancelledAt; // Stopwatch timestamp at which the chunk's call was cancelled; 0: it was not
    private int _abandoned;
    private volatile bool _yield;

    public Chunk? Chunk => _chunk;

    public RunningItem? Item => _item;

    /// <summary>True once the watchdog gave the chunk up: the process is being recycled, the runner stops.</summary>
    public bool Abandoned => Volatile.Read(ref _abandoned) == 1;

    public void Begin(Chunk chunk)
    {
        Interlocked.Exchange(ref _cancelledAt, 0);
        _yield = false;
        _chunk = chunk;
    }

    public void End() => _chunk = null;

    public void BeginItem(RunningItem item) => _item = item;

    public void EndItem() => _item = null;

    /// <summary>
    /// True once the runner is asked to stop after its current item and look whether the chunk is still wanted (its
    /// call or the chunk was dropped): read after every item, so a plain volatile flag.
    /// </summary>
    public bool YieldRequested => _yield;

    /// <summary>Asks the runner to yield after its current item.</summary>
    public void RequestYield() => _yield = true;

    /// <summary>The runner looked: it goes on until asked again.</summary>
    public void YieldTaken() => _yield = false;

    /// <summary>The chunk's call was cancelled now (the first time counts).</summary>
    public void CallCancelled() => Interlocked.CompareExchange(ref _cancelledAt, Stopwatch.GetTimestamp(), 0);

    /// <summary>How long ago the chunk's call was cancelled; null when it was not.</summary>
    public TimeSpan? CancelledFor =>
        Interlocked.Read(ref _cancelledAt) is var at and not 0 ? Stopwatch.GetElapsedTime(at) : null;

    /// <summary>The watchdog's claim on the chunk; false when it claimed it already.</summary>
    public bool TryAbandon() => Interlocked.CompareExchange(ref _abandoned, 1, 0) == 0;
}
