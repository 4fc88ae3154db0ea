namespace ClusterPool.Worker;

/// <summary>The worker cannot run a function at all (missing assembly, different build); the message says
/// why.</summary>
internal sealed class WorkerSetupException(string message) : Exception(message)
{
    /// <summary>True when the worker refused the function on purpose (a .NET method), rather than failing to find
    /// it.</summary>
    public bool Refused { get; init; }
}
