namespace ClusterPool.Contracts.Messages;

/// <summary>
/// Coordinator → slot: hand back, with <see cref="HandBack"/>, the chunks you hold and have not started. Sent at the
/// tail of the work, when another slot is idle and nothing is queued: a prefetched chunk then runs there at once
/// instead of waiting behind this slot's long task.
/// </summary>
internal sealed record ReclaimQueued
{
    /// <summary>The one instance (the message has no fields).</summary>
    public static readonly ReclaimQueued Instance = new();
}
