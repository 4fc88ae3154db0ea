namespace ClusterPool.Calls;

/// <summary>The input ended after <paramref name="Total"/> items; <paramref name="Error"/> is why, if it did not end
/// normally.</summary>
internal sealed record InputEnded(long Total, Exception? Error) : FeedItem;
