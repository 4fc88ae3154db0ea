namespace ClusterPool.Contracts.Messages;

/// <summary>Coordinator → worker host: stop now and exit - the pool is closing or terminating, or, with a
/// <paramref name="Refusal"/>, it refuses this host (another build of the application, or none).</summary>
/// <param name="Refusal">Why the pool refuses this host, for the host's own stderr and exit code; null when the pool
/// closes.</param>
internal sealed record StopWorker(string? Refusal = null)
{
    /// <summary>The pool closes.</summary>
    public static readonly StopWorker Instance = new();
}
