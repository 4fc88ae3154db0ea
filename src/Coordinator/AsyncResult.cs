using System.Runtime.CompilerServices;
using ClusterPool.Calls;

namespace ClusterPool;

/// <summary>
/// The result of an asynchronous call (Python's <c>AsyncResult</c>, returned by <c>apply_async</c>, <c>map_async</c>,
/// <c>starmap_async</c>). Also awaitable. A timeout on <see cref="Get"/> does not stop the task: it keeps running, as
/// in Python.
/// </summary>
public sealed class AsyncResult<T>
{
    private readonly Task<T> _task;
    private readonly ProgressTracker _progress;
    private readonly ProgressEvents _progressEvents;
    private readonly CallbackQueue? _completedBy;

    internal AsyncResult(Task<T> task, ProgressTracker progress, CallbackQueue? completedBy = null)
    {
        _task = task;
        _completedBy = completedBy;
        _progress = progress;
        _progressEvents = new ProgressEvents(this, progress);
    }

    /// <summary>How far the call has come now.</summary>
    public CallProgress Progress => _progress.Snapshot();

    /// <summary>
    /// Raised as the call's items finish (at most every 100 ms) and once when it is over, on a thread-pool thread. A
    /// handler added after the call ended hears its last report.
    /// </summary>
    public event EventHandler<CallProgress>? ProgressChanged
    {
        add => _progressEvents.Add(value);
        remove => _progressEvents.Remove(value);
    }

    /// <summary>The call as a task, for <c>Task.WhenAll</c> and friends.</summary>
    public Task<T> Task => _task;

    /// <summary>True once the call has finished, successfully or not (Python's <c>ready()</c>).</summary>
    public bool Ready => _task.IsCompleted;

    /// <summary>
    /// True if the call finished without an error (Python's <c>successful()</c>).
    /// Throws <see cref="InvalidOperationException"/> if it has not finished yet, as Python raises <c>ValueError</c>.
    /// </summary>
    public bool Successful => _task.IsCompleted
        ? _task.IsCompletedSuccessfully
        : throw new InvalidOperationException("the result is not ready yet; call Wait() or check Ready first");

    /// <summary>
    /// Waits for the call to finish (Python's <c>wait(timeout)</c>); returns false if <paramref name="timeout"/> passed
    /// first. Null or <see cref="Timeout.InfiniteTimeSpan"/> waits for ever; a negative span is an
    /// <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called inside a callback of the pool, for a call whose result only
    /// that callback's thread can set once this callback returns (the call's own, or one with a callback of its own
    /// that has not run yet): the wait would never end. A result that is ready returns at once, callback or
    /// not.</exception>
    public bool Wait(TimeSpan? timeout = null)
    {
        var limit = Timeouts.ForWait(timeout, nameof(timeout));
        if (limit != TimeSpan.Zero) ThrowIfOnlyThisCallbackCouldEndTheWait();
        try { return limit is { } t ? _task.Wait(t) : WaitForever(); }
        catch (AggregateException) { return true; }
    }

    private bool WaitForever()
    {
        _task.Wait();
        return true;
    }

    /// <summary>
    /// The result (Python's <c>get(timeout)</c>): waits, then returns it or throws the task's exception (the remote
    /// exception's type, message and stack trace). Throws <see cref="TimeoutException"/> if <paramref name="timeout"/>
    /// passes first.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called inside a callback of the pool, for a call whose result only
    /// that callback's thread can set once this callback returns (<see cref="Wait"/>): inside a call's own callback,
    /// use the value the callback is given.</exception>
    public T Get(TimeSpan? timeout = null)
    {
        if (!Wait(timeout)) throw new TimeoutException($"the result was not ready within {timeout}");
        // Thrown from what the task captured once: each Get gives the same stack trace (capturing it again on each
        // throw added this caller's frames again every time).
        return _task.GetAwaiter().GetResult();
    }

    private void ThrowIfOnlyThisCallbackCouldEndTheWait()
    {
        if (_completedBy is null || _task.IsCompleted || !_completedBy.IsRunningHere) return;
        throw new InvalidOperationException(_completedBy.IsRunningFor(_task)
            ? "Get() or Wait() on a call's own result inside its callback would wait for ever: the result is set only "
                + "after the callback returns (as in Python). The callback is given the call's value: use that."
            : "Get() or Wait() inside a callback, on a call that has a callback of its own and has not finished, "
                + "would wait for ever: the pool runs callbacks one at a time, so that call's callback (and then its "
                + "result) can only come after this callback returns. Wait for it from another thread (the main one), "
                + "or check Ready first.");
    }

    /// <summary>Lets <c>await</c> wait for the result.</summary>
    public TaskAwaiter<T> GetAwaiter() => _task.GetAwaiter();
}
