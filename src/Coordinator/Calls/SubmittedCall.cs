namespace ClusterPool.Calls;

/// <summary>A call the pool took: its id (to cancel it by) and its progress.</summary>
internal sealed record SubmittedCall(long Id, ProgressTracker Progress);
