namespace ClusterPool.Contracts.Messages;

/// <summary>
/// Worker host → coordinator, from one of its slots: this host cannot run the pool's functions at all - it was started
/// without the application (<c>--app</c>), with another application, or with another build of it. Not the call's
/// fault, so the call does not fail: what the host holds runs elsewhere, and the pool stops the host with
/// <paramref name="Reason"/>.
/// </summary>
/// <param name="Pid">The worker process.</param>
/// <param name="Reason">What the host lacks, and what to start it with.</param>
internal sealed record HostCannotRun(int Pid, string Reason);
