namespace ClusterPool.Contracts.Launch;

/// <summary>No worker host can be started from this process: the message says what was tried and why it cannot
/// work.</summary>
internal sealed class WorkerLaunchException(string message, Exception? inner = null) : Exception(message, inner);
