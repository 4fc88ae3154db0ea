namespace ClusterPool.Contracts.Messages;

/// <summary>
/// Coordinator → slot: another copy of this chunk (a backup copy, see <c>PoolOptions.Speculation</c>) finished first:
/// skip it if it is queued, cancel its running item's <c>CancellationToken</c>, and stop it at its next item. No
/// results are expected back. Unlike <see cref="DropCall"/>, a task that ignores its token is not stopped by recycling
/// its process: that would cost the process's other slots their running work to save one slot's time.
/// </summary>
internal sealed record DropChunk(long CallId, long ChunkId);
