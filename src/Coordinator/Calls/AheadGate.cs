namespace ClusterPool.Calls;

/// <summary>
/// Back-pressure from a slow reader of <c>IMap</c>: the input feeder may run at most <c>maxAhead</c> items ahead of
/// what the caller has taken, so memory stays flat however long the input is (Python's imap grows without bound here).
/// </summary>
internal sealed class AheadGate(long maxAhead)
{
    private readonly Lock _lock = new();
    private long _consumed;
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

    /// <summary>Returns once fewer than <c>maxAhead</c> of the <paramref name="fed"/> items are still
    /// untaken.</summary>
    public async ValueTask WaitForRoomAsync(long fed, CancellationToken cancel)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_open || fed - _consumed < maxAhead) return;
                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }
            await wait.WaitAsync(cancel);
        }
    }
}
