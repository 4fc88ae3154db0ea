namespace ClusterPool.Calls;

/// <summary>
/// Back-pressure from a slow reader of <c>IMap</c>: the input feeder may run at most <c>maxAhead</c> items ahead of
/// what the caller has taken, and stops while the results waiting for the caller hold <c>maxBytesAhead</c> (as sent,
/// each result counted at its part's average), so memory stays flat however long the input is and however large the
/// results (Python's imap grows without bound here). Counted in results alone, 10,000 results of 2 MB each grew a
/// program by 100 MB a second until it had 20 GB.
/// </summary>
internal sealed class AheadGate(long maxAhead, long maxBytesAhead = long.MaxValue)
{
    private readonly Lock _lock = new();
    private long _consumed, _arrived, _arrivedBytes;
    private TaskCompletionSource? _waiter;
    private bool _open;

    /// <summary>The caller took one result.</summary>
    public void OnConsumed()
    {
        TaskCompletionSource? wake;
        lock (_lock)
        {
            _consumed++;
            wake = _waiter;
            _waiter = null;
        }
        wake?.TrySetResult();
    }

    /// <summary>Results for <paramref name="count"/> items arrived, <paramref name="bytes"/> as sent.</summary>
    public void OnArrived(long bytes, int count)
    {
        lock (_lock)
        {
            _arrived += count;
            _arrivedBytes += bytes;
        }
    }

    /// <summary>The bytes of the results not taken yet, at the average size of those that arrived.</summary>
    private long BytesWaiting()
    {
        var waiting = _arrived - _consumed;
        return waiting <= 0 || _arrived == 0 ? 0 : (long)((double)_arrivedBytes / _arrived * waiting);
    }

    /// <summary>
    /// No limit from now on: the pool is being joined, and a call must run to its end whether or not its results are
    /// taken (they are kept until they are, as Python's imap keeps them).
    /// </summary>
    public void Open()
    {
        TaskCompletionSource? wake;
        lock (_lock)
        {
            _open = true;
            wake = _waiter;
            _waiter = null;
        }
        wake?.TrySetResult();
    }

    /// <summary>Returns once fewer than <c>maxAhead</c> of the <paramref name="fed"/> items are still untaken, and
    /// the results waiting hold less than <c>maxBytesAhead</c>.</summary>
    public async ValueTask WaitForRoomAsync(long fed, CancellationToken cancel)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_open || (fed - _consumed < maxAhead && BytesWaiting() < maxBytesAhead)) return;
                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }
            await wait.WaitAsync(cancel);
        }
    }
}
