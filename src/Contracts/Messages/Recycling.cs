namespace ClusterPool.Contracts.Messages;

/// <summary>
/// Worker host → coordinator: this process exits now, without finishing what it holds, because a task ignored its
/// timeout and can only be stopped with its process. Every chunk it holds runs again elsewhere, and counts as no
/// loss against those chunks: it was not their fault.
/// </summary>
internal sealed record Recycling(int Pid, string Reason);
