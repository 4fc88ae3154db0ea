namespace ClusterPool.Calls;

/// <summary>
/// Holds results that arrive out of order until every earlier one is there, then releases them in input order:
/// the ordering buffer of <c>IMap</c>. Plain class, used by one thread at a time.
/// </summary>
internal sealed class OrderingBuffer<T>
{
    private readonly Dictionary<long, T> _waiting = [];

    /// <summary>The index of the next result to release.</summary>
    public long Next { get; private set; }

    /// <summary>How many results wait for an earlier one.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>Adds the result of <paramref name="index"/>, then releases every result that is now in order.</summary>
    public void Add(long index, T value, Action<long, T> release)
    {
        if (index < Next || !_waiting.TryAdd(index, value)) return; // a duplicate: every result is released once
        while (_waiting.Remove(Next, out var ready))
        {
            release(Next, ready);
            Next++;
        }
    }
}
