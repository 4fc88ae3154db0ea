namespace ClusterPool.Contracts.Messages;

/// <summary>
/// Coordinator → slot: the call was cancelled (or ended): drop its queued chunks and cancel the running item's
/// <c>CancellationToken</c> if it belongs to it. No results are expected back, but for an interrupt's: then
/// <paramref name="Interrupting"/>, and a task that ignores its token runs on, since what finishes within the pool's
/// shutdown grace still counts (the pool stops the process when that ends); otherwise the process is recycled past the
/// stuck-task grace.
/// </summary>
internal sealed record DropCall(long CallId, bool Interrupting = false);
