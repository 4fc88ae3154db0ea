namespace ClusterPool.Dashboard;

/// <summary>What <c>/api/state</c> returns: the pool now, its calls, and the chart's history.</summary>
/// <param name="Coordinator">The pool's address (<see cref="Pool.Address"/>).</param>
/// <param name="Pid">The coordinator's process id.</param>
/// <param name="Now">When the state was taken (the chart's right edge).</param>
/// <param name="UptimeSeconds">Seconds since the dashboard (and so the pool) started.</param>
/// <param name="IntervalSeconds">Seconds between the chart's samples; the page asks for news as often.</param>
/// <param name="HistorySeconds">How far back the chart goes at most.</param>
/// <param name="Statistics">The pool's counters and hosts (<see cref="Pool.Statistics"/>).</param>
/// <param name="Calls">The running calls and the last finished ones, newest first.</param>
/// <param name="History">The chart's samples, oldest first.</param>
internal sealed record DashboardState(string Coordinator, int Pid, DateTimeOffset Now, double UptimeSeconds,
    double IntervalSeconds,
    double HistorySeconds, PoolStatistics Statistics, IReadOnlyList<CallView> Calls,
        IReadOnlyList<ThroughputSample> History);
