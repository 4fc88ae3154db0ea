namespace ClusterPool.Calls;

/// <summary>
/// Where a call's results go: a list behind an <see cref="AsyncResult{T}"/> (Apply, Map, StarMap) or a stream behind an
/// <see cref="IMapIterator{T}"/>. The coordinator calls these from its own thread, never two at once.
/// </summary>
internal abstract class CallOutput
{
    /// <summary>True when results must be delivered in input order (IMap); false when any order will do.</summary>
    public abstract bool Ordered { get; }

    /// <summary>
    /// True when the call ends only after every item is done, even after an item failed (a list, like Python's
    /// <c>map</c>); false when the first error ends it (a stream).
    /// </summary>
    public virtual bool WaitsForEveryItem => false;

    /// <summary>Results for <paramref name="count"/> items arrived, <paramref name="bytes"/> as sent (before any
    /// ordering buffer holds them): what a stream's read-ahead limit counts.</summary>
    public virtual void OnArrived(long bytes, int count) { }

    /// <summary>Whether <paramref name="value"/> is of the call's result type (or null); one that is not fails its
    /// item.</summary>
    public abstract bool CanHold(object? value);

    /// <summary>Whether every one of <c>values[start .. start + count)</c> is of the call's result type.</summary>
    public virtual bool CanHold(Array values, int start, int count)
    {
        for (var i = 0; i < count; i++)
            if (!CanHold(values.GetValue(start + i))) return false;
        return true;
    }

    /// <summary>One item's result. In input order when <see cref="Ordered"/>; each index exactly once.</summary>
    public abstract void Deliver(long index, object? value);

    /// <summary>Results of consecutive items from <paramref name="firstIndex"/>, taken from <c>values[start .. start +
    /// count)</c>.</summary>
    public virtual void DeliverRange(long firstIndex, Array values, int start, int count)
    {
        for (var i = 0; i < count; i++) Deliver(firstIndex + i, values.GetValue(start + i));
    }

    /// <summary>
    /// Item <paramref name="index"/> failed with <paramref name="error"/>, and the call goes on (a stream: the failure
    /// takes the item's place). A list output (<see cref="WaitsForEveryItem"/>) never gets this: its call fails as a
    /// whole.
    /// </summary>
    public virtual void DeliverError(long index, Exception error) =>
        throw new InvalidOperationException($"{GetType().Name} fails as a whole; item {index}'s error is the call's");

    /// <summary>The call is over: every result was delivered (null), or it failed with
    /// <paramref name="error"/>.</summary>
    public abstract void Complete(Exception? error);
}

/// <summary>An output whose results are <typeparamref name="R"/>s: a result of another type fails its item
/// (<see cref="CallOutput.CanHold(object?)"/>).</summary>
internal abstract class CallOutput<R> : CallOutput
{
    public override bool CanHold(object? value) => value is null or R;

    public override bool CanHold(Array values, int start, int count) => values is R[]
        || base.CanHold(values, start, count);
}
