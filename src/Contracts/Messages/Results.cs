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
internal sealed record ChunkResult(
    long CallId, long ChunkId, int Offset, int Count, byte[]? Payload, RemoteError? Error, bool Complete,
        double Seconds);

/// <summary>
/// Slot → coordinator: the results of several short chunks in one message, sent when the slot's queue runs dry (or
/// after 64 results or 5 ms), so a stream of tiny tasks costs one round trip per batch rather than per task.
/// </summary>
internal sealed record ChunkResults(ChunkResult[] Parts);

/// <summary>
/// An exception raised on a worker: the whole exception object where it can be serialized (<see cref="Exception"/>),
/// and always its type and text, so that an exception that cannot cross still reaches the caller.
/// </summary>
/// <param name="Kind">What failed: the user's function, the arguments' or result's serialization, or the worker
/// itself.</param>
/// <param name="TypeName">The exception's assembly-qualified type name, to rethrow the same type where it
/// loads.</param>
/// <param name="Message">The exception's message.</param>
/// <param name="StackTrace">The remote stack trace text.</param>
/// <param name="Host">The worker host's name.</param>
/// <param name="Pid">The worker process id.</param>
/// <param name="Recycled">For a timeout: the task ignored its cancelled token and its process is being recycled to stop
/// it.</param>
/// <param name="Exception">The exception itself (<see cref="Serialization.ExceptionPayload"/>), or null where it could
/// not be serialized.</param>
internal sealed record RemoteError(ErrorKind Kind, string TypeName, string Message, string StackTrace, string Host,
    int Pid, bool Recycled = false,
    byte[]? Exception = null);

/// <summary>Where a remote failure came from.</summary>
internal enum ErrorKind
{
    /// <summary>The user's function threw.</summary>
    UserCode,
    /// <summary>A result could not be serialized, or is larger than a frame.</summary>
    Result,
    /// <summary>The worker could not run the function: it could not resolve it, or its build differs.</summary>
    Worker,
    /// <summary>The pool's initializer threw in this worker process.</summary>
    Initializer,
    /// <summary>The item ran longer than its task timeout.</summary>
    Timeout,
}
