namespace ClusterPool.Contracts.Messages;

/// <summary>
/// Slot → coordinator: the results of several short chunks in one message, sent when the slot's queue runs dry (or
/// after 64 results or 5 ms), so a stream of tiny tasks costs one round trip per batch rather than per task.
/// </summary>
internal sealed record ChunkResults(ChunkResult[] Parts);
