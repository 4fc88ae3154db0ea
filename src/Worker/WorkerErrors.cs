using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Worker;

/// <summary>
/// Errors as they travel to the pool (<see cref="RemoteError"/>), each named by its parts: what kind, which exception,
/// its message and stack, which host and process. Never throws, whatever an exception's getters do.
/// </summary>
internal sealed class WorkerErrors(string host, int pid)
{
    /// <summary>This process's errors.</summary>
    public static readonly WorkerErrors OfThisProcess = new(Environment.MachineName, Environment.ProcessId);

    /// <summary>The process id the errors name.</summary>
    public int Pid => pid;

    /// <summary><paramref name="error"/>, of <paramref name="kind"/>.</summary>
    public RemoteError Describe(Exception error, ErrorKind kind)
    {
        var type = error.GetType();
        return new RemoteError(
            Kind: kind,
            TypeName: type.AssemblyQualifiedName ?? type.FullName ?? type.Name,
            Message: ExceptionPayload.SafeMessage(error),
            StackTrace: ExceptionPayload.SafeStackTrace(error),
            Host: host,
            Pid: pid,
            Exception: ExceptionPayload.TrySerialize(error, $"on host {host}, worker pid {pid}"));
    }

    /// <summary>
    /// An item that ran longer than <paramref name="timeout"/>; <paramref name="recycled"/> when it would not stop.
    /// </summary>
    public RemoteError Timeout(TimeSpan timeout, bool recycled) => new(
        Kind: ErrorKind.Timeout,
        TypeName: typeof(TimeoutException).AssemblyQualifiedName!,
        Message: $"ran longer than {timeout.TotalSeconds:0.###} s",
        StackTrace: "",
        Host: host,
        Pid: pid,
        Recycled: recycled);
}
