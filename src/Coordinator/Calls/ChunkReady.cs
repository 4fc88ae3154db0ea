using ClusterPool.Contracts.Messages;

namespace ClusterPool.Calls;

/// <summary>A chunk ready to send.</summary>
internal sealed record ChunkReady(Chunk Chunk) : FeedItem;
