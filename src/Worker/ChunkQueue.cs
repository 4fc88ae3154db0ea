namespace ClusterPool.Worker;

/// <summary>
/// A slot's queued chunks, taken by its one runner thread. Not a <c>BlockingCollection</c>: that spins (yielding the
/// core) before it blocks, and a host of 128 slots whose threads each wait a moment for their next chunk spent a
/// quarter of its CPU spinning (profiled with <c>dotnet-trace collect-linux</c>). A waiting runner here blocks at once.
/// </summary>
internal sealed class ChunkQueue<T> where T : class
{
    private readonly Queue<T> _items = new();
    private bool _completed;

    /// <summary>Chunks queued now.</summary>
    public int Count { get { lock (_items) return _items.Count; } }

    /// <summary>Queues an item; ignored once <see cref="Complete"/> was called (the slot is stopping).</summary>
    public void Add(T item)
    {
        lock (_items)
        {
            if (_completed) return;
            _items.Enqueue(item);
            Monitor.Pulse(_items);
        }
    }

    /// <summary>The next item if one is queued.</summary>
    public bool TryTake(out T item)
    {
        lock (_items) return _items.TryDequeue(out item!);
    }

    /// <summary>The next item, waiting for one; null once none is left after <see cref="Complete"/>.</summary>
    public T? Take()
    {
        lock (_items)
        {
            while (true)
            {
                if (_items.TryDequeue(out var item)) return item;
                if (_completed) return null;
                Monitor.Wait(_items);
            }
        }
    }

    /// <summary>Every item queued now, in order, leaving none.</summary>
    public T[] TakeAll()
    {
        lock (_items)
        {
            var all = _items.ToArray();
            _items.Clear();
            return all;
        }
    }

    /// <summary>No more items: <see cref="Take"/> returns those still queued, then null.</summary>
    public void Complete()
    {
        lock (_items)
        {
            _completed = true;
            Monitor.PulseAll(_items);
        }
    }
}
