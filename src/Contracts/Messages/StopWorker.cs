namespace ClusterPool.Contracts.Messages;

/// <summary>Coordinator → worker host: stop now and exit (the pool is closing or terminating).</summary>
internal sealed record StopWorker
{
    /// <summary>The one instance.</summary>
    public static readonly StopWorker Instance = new();
}
