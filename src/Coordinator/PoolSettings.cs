using Akka.Configuration;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Launch;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Dashboard;
using ClusterPool.Dispatch;
using ClusterPool.Calls;
using ClusterPool.Workers;

namespace ClusterPool;

/// <summary>
/// A pool's settings, read once from its configuration (<c>hocon/coordinator.hocon</c> under the user's override) and
/// validated with names, as Akka's <c>ProducerController.Settings.Create(Config)</c>: what the pool, its coordinator
/// and its spawner are made with. Where <see cref="PoolOptions"/> says too, the option wins.
/// </summary>
internal sealed record PoolSettings(
    FrameBudget Budget,
    DispatchSettings Dispatch,
    SpeculationSettings Speculation,
    InputSettings Input,
    LocalWorkerSettings LocalWorkers,
    DashboardSettings Dashboard,
    int MaxRetries,
    TimeSpan ShutdownGrace,
    TimeSpan StuckTaskGrace,
    TimeSpan SendResultsEvery,
    TimeSpan DownUnreachableAfter)
{
    /// <summary>Reads the settings; throws <see cref="PoolConfigurationException"/> naming any that is wrong.</summary>
    /// <remarks>Every setting is read, those an option overrides too: a malformed one is an error either way.</remarks>
    public static PoolSettings Create(Config config, PoolOptions options)
    {
        var maxRetries = PoolConfig.ReadNonNegativeInt(config, "clusterpool.max-retries");
        var shutdownGrace = PoolConfig.ReadDuration(config, "clusterpool.shutdown-grace", allowZero: true);
        return new PoolSettings(
            new FrameBudget(PoolConfig.FrameSize(config)),
            DispatchSettings.Create(config),
            SpeculationSettings.Create(config),
            InputSettings.Create(config),
            LocalWorkerSettings.Create(config, loopback: options.ListenAddress is null
                && HostPort.IsLoopback(config.GetString("akka.remote.dot-netty.tcp.hostname", "127.0.0.1"))),
            DashboardSettings.Read(config),
            options.MaxRetries ?? maxRetries,
            options.ShutdownGrace ?? shutdownGrace,
            PoolConfig.ReadDuration(config, "clusterpool.stuck-task-grace"),
            PoolConfig.ReadDuration(config, "clusterpool.send-results-every"),
            PoolConfig.ReadDuration(config, "clusterpool.hosts.down-unreachable-after"));
    }
}
