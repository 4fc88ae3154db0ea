using Microsoft.Extensions.Logging;
using System.Runtime.InteropServices;

namespace ClusterPool.Calls;

/// <summary>
/// Collects a call's results by input index and completes a task with them (Apply, Map, StarMap and their async
/// forms). Callbacks run once, before the result is visible to <c>Get</c>, one at a time for the whole pool
/// (<see cref="CallbackQueue"/>), as in Python.
/// </summary>
internal sealed class ListOutput<R, TResult>(
    Func<List<R>, TResult> shape, Action<TResult>? callback, Action<Exception>? errorCallback, CallbackQueue callbacks,
    ILogger log) : CallOutput<R>
{
    private readonly List<R> _values = [];
    private readonly TaskCompletionSource<TResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TResult> Task => _done.Task;

    /// <summary>The queue that completes <see cref="Task"/> (after the callback), or null when nothing of the call's
    /// runs there: a wait for the call on that queue's thread would never end.</summary>
    public CallbackQueue? CompletedBy => callback is null && errorCallback is null ? null : callbacks;

    public override bool Ordered => false;

    public override bool WaitsForEveryItem => true;

    public override void Deliver(long index, object? value)
    {
        while (_values.Count <= index) _values.Add(default!);
        _values[(int)index] = value is null ? default! : (R)value;
    }

    /// <summary>
    /// A typed <c>R[]</c> from the worker is copied without boxing: Map's hot path. An array of a narrower type (a
    /// <c>string[]</c> for a call of <c>object</c>s, from a method group whose result is wider in the call) is an
    /// <c>R[]</c> too, but no span of <c>R</c> can be over it: its values are copied one by one.
    /// </summary>
    public override void DeliverRange(long firstIndex, Array values, int start, int count)
    {
        if (values is not R[] typed || typed.GetType() != typeof(R[]))
        {
            base.DeliverRange(firstIndex, values, start, count);
            return;
        }
        var end = (int)firstIndex + count;
        if (_values.Count < end) CollectionsMarshal.SetCount(_values, end);
        typed.AsSpan(start, count).CopyTo(CollectionsMarshal.AsSpan(_values).Slice((int)firstIndex, count));
    }

    public override void Complete(Exception? error)
    {
        // Callbacks are user code: never on the coordinator's thread. Without them, completing here is safe (the task
        // runs its continuations asynchronously) and saves a thread hop on every Apply.
        if (callback is null && errorCallback is null) Finish(error);
        else callbacks.Post(() => Finish(error), _done.Task);
    }

    private void Finish(Exception? error)
    {
        if (error is not null)
        {
            Run(errorCallback, error);
            _done.TrySetException(error);
            return;
        }
        TResult result;
        try { result = shape(_values); }
        catch (Exception e) { _done.TrySetException(e); return; }
        Run(callback, result);
        _done.TrySetResult(result);
    }

    private void Run<T>(Action<T>? action, T value)
    {
        try { action?.Invoke(value); }
        catch (Exception e) { log.LogError(e, "a call's {Callback} threw {Type}: {Message}; the call's result stands",
            action == (object?)callback ? "callback" : "errorCallback", e.GetType().Name, e.Message); }
    }
}
