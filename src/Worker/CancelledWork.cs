using ClusterPool.Contracts.Messages;

namespace ClusterPool.Worker;

/// <summary>
/// The calls a slot was told are over, and the chunks it was told another copy finished first: their queued chunks are
/// skipped and their running ones stopped. Keeps the most recent few thousand of each: a chunk of an older one would
/// only run in vain, and its results would be dropped by the coordinator.
/// </summary>
internal sealed class CancelledWork
{
    private const int Remembered = 4096;
    private readonly Lock _lock = new();
    private readonly Recent<long> _calls = new();
    private readonly Recent<(long CallId, long ChunkId)> _chunks = new();

    /// <summary>The call is over: every chunk of it.</summary>
    public void AddCall(long callId)
    {
        lock (_lock) _calls.Add(callId);
    }

    /// <summary>Another copy of this chunk finished first.</summary>
    public void AddChunk(long callId, long chunkId)
    {
        lock (_lock) _chunks.Add((callId, chunkId));
    }

    /// <summary>True when <paramref name="chunk"/>'s call is over or the chunk was dropped.</summary>
    public bool Contains(Chunk chunk)
    {
        lock (_lock) return _calls.Contains(chunk.CallId) || _chunks.Contains((chunk.CallId, chunk.ChunkId));
    }

    /// <summary>The last <see cref="Remembered"/> keys added. Not thread-safe: the outer lock guards it.</summary>
    private sealed class Recent<T> where T : notnull
    {
        private readonly HashSet<T> _keys = [];
        private readonly Queue<T> _order = new();

        public void Add(T key)
        {
            if (!_keys.Add(key)) return;
            _order.Enqueue(key);
            if (_order.Count > Remembered) _keys.Remove(_order.Dequeue());
        }

        // nearly always empty: a call's thousands of checks cost no hashing
        public bool Contains(T key) => _keys.Count > 0 && _keys.Contains(key);
    }
}
