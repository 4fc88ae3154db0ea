namespace ClusterPool;

/// <summary>The pool was terminated (or disposed) while this call was running; its remaining work was
/// discarded.</summary>
public sealed class PoolTerminatedException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    public PoolTerminatedException(string message) : base(message) { }
}
