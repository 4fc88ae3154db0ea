namespace ClusterPool.Calls;

/// <summary>What the feeder hands the coordinator: the next chunk, or the end of the input.</summary>
internal abstract record FeedItem;
