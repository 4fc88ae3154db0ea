using Akka.Configuration;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Worker;

/// <summary>
/// A worker host's settings, read once from its configuration (<c>hocon/worker.hocon</c> under the user's override)
/// and validated with names (<c>clusterpool.worker</c>).
/// </summary>
/// <param name="Budget">What one Akka.Remote frame carries
/// (<c>akka.remote.dot-netty.tcp.maximum-frame-size</c>).</param>
/// <param name="RegisterRetry">How often an unanswered registration is sent again.</param>
/// <param name="CoordinatorLostAfter">How long without an answer from the coordinator before it counts as lost.</param>
/// <param name="RejoinFor">How long a standalone host's supervisor keeps starting hosts that lost contact.</param>
/// <param name="JoinAnswerTimeout">How long a host whose pool's port accepts connections waits for a ClusterPool node
/// to answer there before it says nothing did.</param>
/// <param name="GcGen0Size">The gen0 budget, in bytes, of the host a supervisor starts; 0 leaves .NET's.</param>
internal sealed record WorkerSettings(FrameBudget Budget, TimeSpan RegisterRetry, TimeSpan CoordinatorLostAfter,
    TimeSpan RejoinFor, TimeSpan JoinAnswerTimeout, long GcGen0Size)
{
    /// <summary>Reads the settings; throws <see cref="PoolConfigurationException"/> naming any that is wrong.</summary>
    public static WorkerSettings Create(Config config) => new(
        new FrameBudget(PoolConfig.FrameSize(config)),
        PoolConfig.ReadDuration(config, "clusterpool.worker.register-retry"),
        PoolConfig.ReadDuration(config, "clusterpool.worker.coordinator-lost-after"),
        PoolConfig.ReadDuration(config, "clusterpool.worker.rejoin-for"),
        PoolConfig.ReadDuration(config, "clusterpool.worker.join-answer-timeout"),
        PoolConfig.ReadBytes(config, "clusterpool.worker.gc-gen0-size", allowZero: true));
}
