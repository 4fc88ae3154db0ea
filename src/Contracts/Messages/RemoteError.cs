namespace ClusterPool.Contracts.Messages;

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
    byte[]? Exception = null)
{
    /// <summary>About how many bytes the error takes in a message, at least: its texts at 3 bytes a character (they
    /// travel at 2, with a length each).</summary>
    public long Size => (Exception?.Length ?? 0) + 3L * (TypeName.Length + Message.Length + StackTrace.Length +
        Host.Length);
}
