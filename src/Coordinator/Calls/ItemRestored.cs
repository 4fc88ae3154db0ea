namespace ClusterPool.Calls;

/// <summary>Item <paramref name="Index"/>'s result, from the checkpoint (same arguments as when it was
/// stored).</summary>
internal sealed record ItemRestored(long Index, byte[] Result) : FeedItem;
