namespace ClusterPool.Calls;

/// <summary>
/// The <c>ProgressChanged</c> handlers of one result (an <see cref="AsyncResult{T}"/>, an
/// <see cref="IMapIterator{T}"/>): each added handler becomes a tracker listener that passes this result as the
/// sender, and removing the handler removes that listener. One table for all results, keyed by the handler alone, gave
/// a handler added to two results the first one as sender for both, and kept that first result alive for good.
/// </summary>
/// <param name="sender">The result the handlers are told about.</param>
/// <param name="tracker">The call's progress.</param>
internal sealed class ProgressEvents(object sender, ProgressTracker tracker)
{
    private readonly List<(EventHandler<CallProgress> Handler, Action<CallProgress> Listener)> _added = [];

    /// <summary>As an event's <c>add</c>: the same handler added twice is called twice.</summary>
    public void Add(EventHandler<CallProgress>? handler)
    {
        if (handler is null) return;
        Action<CallProgress> listener = progress => handler(sender, progress);
        lock (_added) _added.Add((handler, listener));
        tracker.Subscribe(listener);
    }

    /// <summary>As an event's <c>remove</c>: the handler's last addition goes.</summary>
    public void Remove(EventHandler<CallProgress>? handler)
    {
        if (handler is null) return;
        Action<CallProgress> listener;
        lock (_added)
        {
            var last = _added.FindLastIndex(added => added.Handler == handler);
            if (last < 0) return;
            listener = _added[last].Listener;
            _added.RemoveAt(last);
        }
        tracker.Unsubscribe(listener);
    }
}
