namespace ClusterPool.Contracts.Messages;

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
