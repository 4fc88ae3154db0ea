namespace ClusterPool.Worker;

/// <summary>
/// The calls a slot was told are over, so their queued chunks are skipped. Keeps the most recent few thousand: a chunk
/// of an older cancelled call would only run in vain, and its results would be dropped by the coordinator.
/// </summary>
internal sealed class CancelledCalls
{
    private const int Remembered = 4096;
    private readonly Lock _lock = new();
    private readonly HashSet<long> _ids = [];
    private readonly Queue<long> _order = new();

    public void Add(long callId)
    {
        lock (_lock)
        {
            if (!_ids.Add(callId)) return;
            _order.Enqueue(callId);
            if (_order.Count > Remembered) _ids.Remove(_order.Dequeue());
        }
    }

    public bool Contains(long callId)
    {
        lock (_lock) return _ids.Count > 0 && _ids.Contains(callId);
    }
}
