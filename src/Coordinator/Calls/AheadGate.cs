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

    /// <summary>Returns once fewer than <c>maxAhead</c> of the <paramref name="fed"/> items are still
    /// untaken.</summary>
    public async ValueTask WaitForRoomAsync(long fed, CancellationToken cancel)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (fed - _consumed < maxAhead) return;
                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }
            await wait.WaitAsync(cancel);
        }
    }
}
