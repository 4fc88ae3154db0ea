namespace ClusterPool.Calls;

/// <summary>
/// Item <paramref name="Index"/> cannot be sent to a worker (its arguments cannot be serialized, or are larger than a
/// frame): it fails with <paramref name="Error"/> in its own place, as a task error would, and the input goes on.
/// </summary>
internal sealed record ItemUnsent(long Index, Exception Error) : FeedItem;
