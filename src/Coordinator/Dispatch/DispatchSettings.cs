using Akka.Configuration;
using ClusterPool.Contracts.Configuration;

namespace ClusterPool.Dispatch;

/// <summary>How the coordinator hands out work (<c>clusterpool.dispatch</c> in
/// <c>hocon/coordinator.hocon</c>).</summary>
/// <param name="TargetBatchDuration">The work a batch of short tasks is worth.</param>
/// <param name="ShortTaskThreshold">Items shorter than this are batched.</param>
/// <param name="MaxChunksPerSlot">The most chunks one slot holds.</param>
/// <param name="Prefetch">Chunks a slot holds beyond the one it runs, for long tasks.</param>
internal sealed record DispatchSettings(TimeSpan TargetBatchDuration, TimeSpan ShortTaskThreshold, int MaxChunksPerSlot,
    int Prefetch)
{
    /// <summary>Reads the settings, naming any that is missing or malformed.</summary>
    public static DispatchSettings Create(Config config) => new(
        PoolConfig.ReadDuration(config, "clusterpool.dispatch.target-batch-duration"),
        PoolConfig.ReadDuration(config, "clusterpool.dispatch.short-task-threshold"),
        PoolConfig.ReadPositiveInt(config, "clusterpool.dispatch.max-chunks-per-slot"),
        PoolConfig.ReadNonNegativeInt(config, "clusterpool.dispatch.prefetch"));

    /// <summary>A pool's timings, measured per function as its items finish.</summary>
    public TaskTimings NewTimings() => new(TargetBatchDuration, ShortTaskThreshold, MaxChunksPerSlot, Prefetch);
}
