namespace ClusterPool.Contracts.Messages;

/// <summary>
/// Worker host → coordinator: this process has done its share (<c>MaxTasksPerChild</c>, <c>MaxMemoryPerChild</c>) and
/// will exit once its running tasks finish; send no more work.
/// </summary>
internal sealed record Retiring(int Pid);
