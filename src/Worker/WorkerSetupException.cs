namespace ClusterPool.Worker;

/// <summary>The worker cannot run a function at all (missing assembly, different build); the message says
/// why.</summary>
internal sealed class WorkerSetupException(string message) : Exception(message)
{
    /// <summary>True when the worker refused the function on purpose (a .NET method), rather than failing to find
    /// it.</summary>
    public bool Refused { get; init; }

    /// <summary>
    /// True when no function of the pool's application can run on this host (started by hand without it, with another
    /// application, or with another build): the host's fault, not the call's. The pool then runs the work elsewhere and
    /// stops this host. False in a worker its own pool started, which loads the application from the pool's files.
    /// </summary>
    public bool HostCannotRun { get; init; }
}
