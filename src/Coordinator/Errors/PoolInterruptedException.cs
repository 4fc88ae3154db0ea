namespace ClusterPool;

/// <summary>
/// The run was interrupted (Ctrl+C or SIGTERM) while this call ran. The pool stopped handing out work, cancelled the
/// running tasks' tokens, kept every result that arrived within <see cref="PoolOptions.ShutdownGrace"/> (and stored it,
/// with <see cref="PoolOptions.Checkpoint"/>), then stopped its workers. An <see cref="OperationCanceledException"/>,
/// so <c>using</c> and <c>finally</c> blocks run as the stack unwinds; left unhandled, the process exits with code 130.
/// </summary>
public sealed class PoolInterruptedException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    public PoolInterruptedException(string message) : base(message) { }
}
