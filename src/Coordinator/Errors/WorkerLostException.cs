namespace ClusterPool;

/// <summary>
/// A chunk was lost with its worker more often than <c>max-retries</c> allows: the task probably kills its worker.
/// The message names the items and how many workers went down with them.
/// </summary>
public sealed class WorkerLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkerLostException(string message) : base(message) { }
}
