using ClusterPool.Contracts.Messages;

namespace ClusterPool.Dispatch;

/// <summary>A chunk's identity across the wire.</summary>
internal readonly record struct ChunkKey(long CallId, long ChunkId)
{
    public static ChunkKey Of(Chunk chunk) => new(chunk.CallId, chunk.ChunkId);
}
