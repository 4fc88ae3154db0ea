namespace ClusterPool.Dashboard;

/// <summary>What the dashboard shows, asked of the pool each time: kept to delegates so the server knows no
/// pool.</summary>
/// <param name="Coordinator">The pool's address, for the page's title.</param>
/// <param name="Statistics">The pool's counters now (<see cref="Pool.GetStatisticsAsync"/>).</param>
/// <param name="Calls">The calls' progress now, newest first.</param>
internal sealed record DashboardSource(string Coordinator, Func<CancellationToken, Task<PoolStatistics>> Statistics,
    Func<IReadOnlyList<CallProgress>> Calls);
