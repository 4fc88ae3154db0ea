namespace ClusterPool;

/// <summary>
/// A worker cannot run a function at all: its assembly is missing there (start the worker with <c>--app</c>), is a
/// different build, or the function is one it refuses (a .NET method); the message says which.
/// </summary>
public sealed class WorkerSetupException : Exception
{
    /// <summary>Creates the exception with the reason.</summary>
    public WorkerSetupException(string message) : base(message) { }

    /// <summary>
    /// True when the worker refused the function on purpose (a .NET method), rather than failing to find it.
    /// </summary>
    public bool Refused { get; internal init; }
}
