using System.Diagnostics;
using ClusterPool.Diagnostics;

namespace ClusterPool.Calls;

/// <summary>
/// One call's progress: counts what its <see cref="Call"/> hears (on the coordinator's thread) and tells its listeners
/// (the caller's <see cref="IProgress{T}"/>, the result's event, the dashboard) on the thread pool, at most every
/// <see cref="ReportEvery"/> while it runs and once more when it is over. A listener that throws is dropped.
/// </summary>
internal sealed class ProgressTracker
{
    /// <summary>The shortest time between two reports of a running call.</summary>
    public static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(100);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly PoolStatus? _pool;
    private readonly Lock _gate = new();
    private Action<CallProgress>? _listeners;
    private long _done, _failed, _total = -1;
    private long _lastReportTicks = -ReportEvery.Ticks; // the first change reports at once
    // the call's duration once it is over: a finished call's elapsed time and rate stay put
    private long _endTicks = -1;
    private int _reportPending, _finished, _finishReported;

    private readonly long _callId;
    private readonly string _function;

    /// <param name="total">The number of items when known at the call, else null.</param>
    /// <param name="pool">The pool's counters, which every call's items add to; null in unit tests.</param>
    /// <param name="callId">The call's number in its pool.</param>
    /// <param name="function">The function the call runs.</param>
    public ProgressTracker(long? total, PoolStatus? pool = null, long callId = 0, string function = "")
    {
        _callId = callId;
        _function = function;
        if (total is { } known) _total = known;
        _pool = pool;
    }

    /// <summary>The progress now.</summary>
    public CallProgress Snapshot()
    {
        var total = Interlocked.Read(ref _total);
        var end = Interlocked.Read(ref _endTicks);
        return new CallProgress(Interlocked.Read(ref _done), Interlocked.Read(ref _failed), total < 0 ? null : total,
            end >= 0 ? TimeSpan.FromTicks(end) : _clock.Elapsed, Volatile.Read(ref _finished) == 1) { CallId = _callId,
                Function = _function };
    }

    /// <summary>Adds a listener; it hears the next report (and the last one, if the call is already over).</summary>
    public void Subscribe(Action<CallProgress> listener)
    {
        lock (_gate) _listeners += listener;
        if (Volatile.Read(ref _finished) == 1) ThreadPool.QueueUserWorkItem(_ => Call(listener, Snapshot()));
    }

    /// <summary>Removes a listener.</summary>
    public void Unsubscribe(Action<CallProgress> listener)
    {
        lock (_gate) _listeners -= listener;
    }

    public void ItemsDone(long count)
    {
        Interlocked.Add(ref _done, count);
        _pool?.ItemsDone(count);
        Changed();
    }

    public void ItemFailed()
    {
        Interlocked.Increment(ref _failed);
        _pool?.ItemsFailed(1);
        Changed();
    }

    /// <summary>The input ended: now the total is known.</summary>
    public void SetTotal(long total)
    {
        Interlocked.Exchange(ref _total, total);
        Changed();
    }

    /// <summary>The call is over: the last report goes out now.</summary>
    public void Finish()
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1) return;
        Interlocked.Exchange(ref _endTicks, _clock.Elapsed.Ticks);
        // Nobody listens (most calls): no work item. One who subscribes later hears the end from Subscribe.
        if (Volatile.Read(ref _listeners) is not null) ThreadPool.QueueUserWorkItem(_ => Report());
    }

    /// <summary>Something changed: report now if the last report is old enough, else once it is.</summary>
    private void Changed()
    {
        if (_listeners is null || Interlocked.Exchange(ref _reportPending, 1) == 1) return;
        var wait = TimeSpan.FromTicks(Math.Min(ReportEvery.Ticks, Interlocked.Read(ref _lastReportTicks) +
            ReportEvery.Ticks - _clock.Elapsed.Ticks));
        if (wait <= TimeSpan.Zero) ThreadPool.QueueUserWorkItem(_ => Report());
        else Task.Delay(wait).ContinueWith(_ => Report(), TaskScheduler.Default);
    }

    private void Report()
    {
        Interlocked.Exchange(ref _lastReportTicks, _clock.Elapsed.Ticks);
        Volatile.Write(ref _reportPending, 0);
        Action<CallProgress>? listeners;
        lock (_gate) listeners = _listeners;
        if (listeners is null) return;
        var now = Snapshot();
        // A report queued before the end can run after it and report the end already: the end is reported once.
        if (now.Finished && Interlocked.Exchange(ref _finishReported, 1) == 1) return;
        foreach (var listener in listeners.GetInvocationList().Cast<Action<CallProgress>>()) Call(listener, now);
    }

    private void Call(Action<CallProgress> listener, CallProgress progress)
    {
        try { listener(progress); }
        catch (Exception) { Unsubscribe(listener); }
    }
}
