namespace ClusterPool.Contracts.Messages;

/// <summary>
/// Slot → coordinator: results of items <c>[Offset, Offset + Count)</c> of a chunk, in order. A chunk whose results do
/// not fit one frame arrives in several parts; <paramref name="Complete"/> marks the last. When an item fails,
/// <paramref name="Error"/> describes it, it is the item right after the delivered values, and the part is the last.
/// </summary>
/// <param name="CallId">The call.</param>
/// <param name="ChunkId">The chunk within the call.</param>
/// <param name="Offset">Position within the chunk of the first value in <paramref name="Payload"/>.</param>
/// <param name="Count">How many values the payload holds.</param>
/// <param name="Payload">Serialized (<see cref="Serialization.PayloadSerializer"/>) array of results (typed <c>R[]</c>
/// where the worker knows R, else
/// <c>object?[]</c>), or null when <paramref name="Count"/> is 0.</param>
/// <param name="Error">The failure of item <c>Offset + Count</c>, or null.</param>
/// <param name="Complete">True on the chunk's last part.</param>
/// <param name="Seconds">Time the worker spent on the items of this part, for the coordinator's batching
/// policy.</param>
/// <param name="PayloadFile">Where the payload waits when the worker handed it over through memory
/// (<see cref="Welcome.HandOverFolder"/>); then <paramref name="Payload"/> is null. Null otherwise.</param>
internal sealed record ChunkResult(
    long CallId, long ChunkId, int Offset, int Count, byte[]? Payload, RemoteError? Error, bool Complete,
        double Seconds, string? PayloadFile = null);
