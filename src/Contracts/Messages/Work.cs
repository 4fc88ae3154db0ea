namespace ClusterPool.Contracts.Messages;

/// <summary>Slot → coordinator: "I can take this many more chunks." Sent when a slot starts and after it hands work
/// back.</summary>
internal sealed record RequestWork(int Capacity);

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
internal sealed record Chunk(long CallId, long ChunkId, long FirstIndex, int Count, FunctionRef Function,
    byte[] Payload,
    bool OneArgument = false, TimeSpan TaskTimeout = default);

/// <summary>Coordinator → slot: one or more chunks in one message (short tasks travel in batches to save round
/// trips).</summary>
internal sealed record WorkBatch(Chunk[] Chunks);

/// <summary>Slot → coordinator: chunks the slot received but will not run (it is retiring or stopping): run them
/// elsewhere.</summary>
internal sealed record HandBack(Chunk[] Chunks);

/// <summary>
/// Coordinator → slot: hand back, with <see cref="HandBack"/>, the chunks you hold and have not started. Sent at the
/// tail of the work, when another slot is idle and nothing is queued: a prefetched chunk then runs there at once
/// instead
/// of waiting behind this slot's long task.
/// </summary>
internal sealed record ReclaimQueued
{
    /// <summary>The one instance (the message has no fields).</summary>
    public static readonly ReclaimQueued Instance = new();
}

/// <summary>
/// Coordinator → slot: the call was cancelled (or ended): drop its queued chunks and cancel the running item's
/// <c>CancellationToken</c> if it belongs to it. No results are expected back.
/// </summary>
internal sealed record DropCall(long CallId);
