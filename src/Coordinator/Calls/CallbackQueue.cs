using System.Threading.Channels;

namespace ClusterPool.Calls;

/// <summary>
/// Runs a pool's callbacks (<c>callback</c>, <c>errorCallback</c>) one at a time, in the order their calls finished,
/// as Python's pool runs them on its one result-handler thread: a callback that adds to a plain list needs no lock
/// (run at once on pool threads, a port of that idiom lost results). As in Python, a callback that blocks holds up
/// the ones behind it: a callback should be quick, and never wait for another call's result.
/// </summary>
internal sealed class CallbackQueue
{
    private readonly Channel<Action> _queue =
        Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });

    private int _started;

    /// <summary>Runs <paramref name="finish"/> after the callbacks queued before it (it catches its own
    /// exceptions). The reader starts with the first: most pools never see a callback.</summary>
    public void Post(Action finish)
    {
        _queue.Writer.TryWrite(finish);
        if (Interlocked.Exchange(ref _started, 1) == 0) _ = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        await foreach (var finish in _queue.Reader.ReadAllAsync().ConfigureAwait(false)) finish();
    }
}
