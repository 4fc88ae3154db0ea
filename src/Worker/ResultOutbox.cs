using System.Diagnostics;
using Akka.Actor;
using ClusterPool.Contracts.Messages;

namespace ClusterPool.Worker;

/// <summary>
/// A slot's results on their way to the coordinator. Results of short chunks wait here while more chunks are queued and
/// travel together (<see cref="ChunkResults"/>), so a stream of tiny tasks costs one message per batch, not per task.
/// A long chunk's result goes at once. Thread-safe: the slot's runner thread posts, and its watchdog flushes when the
/// runner is stuck in user code.
/// </summary>
/// <param name="coordinator">Where results go.</param>
/// <param name="slot">The slot they are sent as.</param>
/// <param name="maxBytes">The payload bytes one message may carry.</param>
/// <param name="handOver">Big payloads through memory to a pool on this machine.</param>
internal sealed class ResultOutbox(IActorRef coordinator, IActorRef slot, long maxBytes, ResultHandOver handOver)
{
    private const int MaxHeldResults = 64;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(5);

    // A chunk that ran this long was not batched: what is queued behind it is its slot's prefetch, which runs next, and
    // the coordinator sends the chunk after that only when it hears of this one. Held, its result waited for the whole
    // next task and the slot for a round trip. Below the coordinator's short-task-threshold (2 ms), so that every chunk
    // it prefetches rather than batches counts; a message per millisecond of work costs nothing worth saving.
    private static readonly TimeSpan LongChunk = TimeSpan.FromMilliseconds(1);
    private readonly Lock _lock = new();
    private readonly List<ChunkResult> _held = [];
    private readonly Stopwatch _age = new();
    private long _bytes;

    /// <summary>Adds a result; sends the batch at once if it ends a long chunk, or would not fit one frame
    /// otherwise.</summary>
    public void Post(ChunkResult result)
    {
        lock (_lock)
        {
            // What is held goes first if this result would take the batch past one frame: Akka.Remote drops a message
            // too big, and the call hung.
            var size = (result.Payload?.Length ?? 0) + (result.Error?.Size ?? 0) + 256;
            if (_held.Count > 0 && _bytes + size > maxBytes) FlushLocked();
            if (_held.Count == 0) _age.Restart();
            // counted as it came: a big result goes at once, handed over or not, and its file waits no longer
            _bytes += size;
            _held.Add(handOver.For(result));
            if (_bytes >= maxBytes / 2 || (result.Complete && result.Seconds >= LongChunk.TotalSeconds)) FlushLocked();
        }
    }

    /// <summary>Sends what is held when nothing more is queued, or the batch is big or old enough.</summary>
    public void FlushIfDue(bool queueEmpty)
    {
        lock (_lock)
        {
            if (queueEmpty || _held.Count >= MaxHeldResults || _bytes >= maxBytes / 2
                || _age.Elapsed >= MaxDelay) FlushLocked();
        }
    }

    /// <summary>Sends what is held now.</summary>
    public void Flush()
    {
        lock (_lock) FlushLocked();
    }

    private void FlushLocked()
    {
        if (_held.Count > 0) TaskConsole.Flush(); // what the tasks printed arrives before their results
        if (_held.Count == 1) coordinator.Tell(_held[0], slot);
        else if (_held.Count > 1) coordinator.Tell(new ChunkResults([.. _held]), slot);
        _held.Clear();
        _bytes = 0;
    }
}
