namespace ClusterPool.Contracts.Messages;

/// <summary>Coordinator → slot: one or more chunks in one message (short tasks travel in batches to save round
/// trips).</summary>
internal sealed record WorkBatch(Chunk[] Chunks);
