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
    /// <summary>The worker could not read the chunk's arguments (each is then sent alone, so that only the item whose
    /// arguments cannot be read fails).</summary>
    Arguments,
}
