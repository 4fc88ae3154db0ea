using System.Diagnostics;
using Akka.Actor;
using ClusterPool.Contracts.Messages;

namespace ClusterPool.Worker;

/// <summary>
/// A slot's results on their way to the coordinator. Results of short chunks wait here while more chunks are queued and
/// travel together (<see cref="ChunkResults"/>), so a stream of tiny tasks costs one message per batch, not per task.
/// Thread-safe: the slot's runner thread posts, and its watchdog flushes when the runner is stuck in user code.
/// </summary>
internal sealed class ResultOutbox(IActorRef coordinator, IActorRef slot, long maxBytes)
{
    private const int MaxHeldResults = 64;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(5);
    private readonly Lock _lock = new();
    private readonly List<ChunkResult> _held = [];
    private readonly Stopwatch _age = new();
    private long _bytes;

    /// <summary>Adds a result; sends the batch at once if it would not fit one frame otherwise.</summary>
    public void Post(ChunkResult result)
    {
        lock (_lock)
        {
            if (_held.Count == 0) _age.Restart();
            _held.Add(result);
            _bytes += (result.Payload?.Length ?? 0) + 256;
            if (_bytes >= maxBytes / 2) FlushLocked();
        }
    }

    /// <summary>Sends what is held when nothing more is queued, or the batch is big or old enough.</summary>
    public void FlushIfDue(bool queueEmpty)
    {
        lock (_lock)
        {
            if (queueEmpty || _held.Count >= MaxHeldResults || _bytes >= maxBytes / 2 || _age.Elapsed >= MaxDelay) FlushLocked();
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
