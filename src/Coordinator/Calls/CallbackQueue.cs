using System.Threading.Channels;

namespace ClusterPool.Calls;

/// <summary>
/// Runs a pool's callbacks (<c>callback</c>, <c>errorCallback</c>) one at a time, in the order their calls finished,
/// as Python's pool runs them on its one result-handler thread: a callback that adds to a plain list needs no lock
/// (run at once on pool threads, a port of that idiom lost results). As in Python, a callback that blocks holds up
/// the ones behind it: a callback should be quick. A wait inside a callback that only this queue could end (the
/// call's own result, a call with a callback not yet run, <c>Join</c>) would never end: such waits ask
/// <see cref="IsRunningHere"/> and throw instead.
/// </summary>
internal sealed class CallbackQueue
{
    private readonly Channel<(Action Finish, object? Owner)> _queue =
        Channel.CreateUnbounded<(Action, object?)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The queue whose callback runs on this thread now, and the call it runs for.</summary>
    [ThreadStatic] private static CallbackQueue? _running;

    [ThreadStatic] private static object? _runningFor;

    private int _started;

    /// <summary>True on this queue's thread while it runs a callback: a wait here for what only this queue completes
    /// would wait for ever.</summary>
    public bool IsRunningHere => _running == this;

    /// <summary>True while this thread runs the callback of the call <paramref name="owner"/> (as posted).</summary>
    public bool IsRunningFor(object owner) => IsRunningHere && ReferenceEquals(_runningFor, owner);

    /// <summary>Runs <paramref name="finish"/> after the callbacks queued before it (it catches its own
    /// exceptions). The reader starts with the first: most pools never see a callback.</summary>
    /// <param name="finish">Runs the callback, then completes the call.</param>
    /// <param name="owner">What the call is known by (its task), for <see cref="IsRunningFor"/>.</param>
    public void Post(Action finish, object? owner = null)
    {
        _queue.Writer.TryWrite((finish, owner));
        if (Interlocked.Exchange(ref _started, 1) == 0) _ = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        await foreach (var (finish, owner) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            (_running, _runningFor) = (this, owner);
            try { finish(); }
            finally { (_running, _runningFor) = (null, null); }
        }
    }
}
