namespace ClusterPool.Contracts.Messages;

/// <summary>
/// A run of consecutive items of one call, the unit of work a slot pulls. <paramref name="Payload"/> is the
/// serialized (<see cref="Serialization.PayloadSerializer"/>) array of the items' arguments, sized by the coordinator
/// to fit one Akka.Remote frame: a typed
/// <c>T[]</c> (one element per item) when <paramref name="OneArgument"/>, so Map's common case costs no boxing;
/// otherwise an <c>object?[][]</c> (one argument list per item).
/// </summary>
/// <param name="CallId">The call this chunk belongs to.</param>
/// <param name="ChunkId">Unique within the call.</param>
/// <param name="FirstIndex">The input index of the chunk's first item.</param>
/// <param name="Count">How many items the payload holds.</param>
/// <param name="Function">What to run on each item.</param>
/// <param name="Payload">The items' arguments.</param>
/// <param name="OneArgument">True when the payload is a typed array of each item's single argument.</param>
/// <param name="TaskTimeout">How long one item may run before its <c>CancellationToken</c> is cancelled and it fails
/// as timed out; <see cref="TimeSpan.Zero"/> for no limit.</param>
/// <param name="StartAt">The offset of the first item to run: a backup copy of a straggling chunk skips the items the
/// first copy already delivered (offsets in its results still count from the chunk's start). 0 otherwise.</param>
/// <param name="PayloadFile">Where the payload waits when it was handed over through memory instead of the network (a
/// big payload sent to a worker process on the pool's own machine, see <see cref="Sharing.HandOverFiles"/>); then
/// <paramref name="Payload"/> is empty. Null otherwise.</param>
internal sealed record Chunk(long CallId, long ChunkId, long FirstIndex, int Count, FunctionRef Function,
    byte[] Payload,
    bool OneArgument = false, TimeSpan TaskTimeout = default, int StartAt = 0, string? PayloadFile = null);
