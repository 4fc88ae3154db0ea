using Akka.Configuration;
using ClusterPool.Contracts.Configuration;

namespace ClusterPool.Dashboard;

/// <summary>The dashboard's settings from <c>hocon/coordinator.hocon</c> (<c>clusterpool.dashboard</c>).</summary>
/// <param name="SampleInterval">Time between the chart's samples.</param>
/// <param name="History">How long the chart's samples are kept.</param>
/// <param name="StopTimeout">How long stopping waits for open requests.</param>
internal sealed record DashboardSettings(TimeSpan SampleInterval, TimeSpan History, TimeSpan StopTimeout)
{
    /// <summary>Reads the settings from a pool's configuration.</summary>
    public static DashboardSettings Read(Config config) => new(
        PoolConfig.ReadDuration(config, "clusterpool.dashboard.sample-interval"),
        PoolConfig.ReadDuration(config, "clusterpool.dashboard.history"),
        PoolConfig.ReadDuration(config, "clusterpool.dashboard.stop-timeout"));
}
