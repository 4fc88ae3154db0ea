namespace ClusterPool.Calls;

/// <summary>What the coordinator needs of a call's input feeder, whatever the items' type.</summary>
internal interface IInputFeeder
{
    /// <summary>Takes the next ready item without waiting.</summary>
    bool TryTake(out FeedItem item);

    /// <summary>Calls <paramref name="onReady"/> once when an item is ready to take (at most one pending
    /// call).</summary>
    void NotifyWhenReady(Action onReady);

    /// <summary>Stops reading the input (the call is over).</summary>
    void Cancel();

    /// <summary>Items read and chunked, waiting to be taken.</summary>
    long ReadyItems => 0;
}
