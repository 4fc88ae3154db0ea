namespace ClusterPool.Contracts.Messages;

/// <summary>
/// Coordinator → slot: the call was cancelled (or ended): drop its queued chunks and cancel the running item's
/// <c>CancellationToken</c> if it belongs to it. No results are expected back.
/// </summary>
internal sealed record DropCall(long CallId);
