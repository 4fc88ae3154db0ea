namespace ClusterPool.Dashboard;

/// <summary>One point of the dashboard's chart: what the pool went through in the interval that ended at
/// <see cref="Time"/>.</summary>
/// <param name="Time">When the interval ended.</param>
/// <param name="ItemsPerSecond">Items finished (done or failed) per second over the interval.</param>
/// <param name="Done">Items done in the interval.</param>
/// <param name="Failed">Items that failed in the interval.</param>
/// <param name="Rerun">Items sent to run again in the interval (their worker was lost).</param>
/// <param name="WorkersLost">Worker processes lost in the interval.</param>
internal sealed record ThroughputSample(DateTimeOffset Time, double ItemsPerSecond, long Done, long Failed, long Rerun,
    int WorkersLost);
