using Akka.Actor;
using ClusterPool.Checkpoints;
using ClusterPool.Diagnostics;
using ClusterPool.Hosts;
using ClusterPool.Calls;
using ClusterPool.Lifecycle;
using ClusterPool.Output;
using ClusterPool.Sharing;
using ClusterPool.Workers;
using Microsoft.Extensions.Logging;

namespace ClusterPool;

/// <summary>What <see cref="PoolStarter"/> started for a pool, and what the <see cref="Pool"/> facade runs
/// on.</summary>
/// <param name="System">The coordinator's actor system.</param>
/// <param name="Coordinator">The coordinator actor.</param>
/// <param name="Address">The <c>HOST:PORT</c> it listens on.</param>
/// <param name="Settings">The pool's settings, read once.</param>
/// <param name="State">Running, closed or terminated.</param>
/// <param name="Status">The counters the coordinator keeps for the caller's threads.</param>
/// <param name="Submitter">Takes the pool's calls.</param>
/// <param name="Defaults">The pool's own call settings (its task timeout).</param>
/// <param name="Spawner">Its local worker processes, if it starts any.</param>
/// <param name="Remote">Its hosts' worker hosts, if it starts any (<see cref="PoolOptions.Hosts"/>).</param>
/// <param name="Checkpoint">Its checkpoint file, if it has one.</param>
/// <param name="TaskOutput">Where the tasks' console lines go, unless dropped.</param>
/// <param name="Logging">Its loggers.</param>
/// <param name="Shared">The values it shares with its workers (<see cref="Pool.Share{T}(T)"/>).</param>
/// <param name="SharedFolder">Where this machine's workers keep them.</param>
/// <param name="ClusterMode">Whether it is a cluster member (a ListenAddress, SeedNodes or Hosts): hosts may join
/// it.</param>
internal sealed record StartedPool(
    ActorSystem System, IActorRef Coordinator, string Address, PoolSettings Settings, PoolState State,
        PoolStatus Status,
    CallSubmitter Submitter, CallSettings Defaults, LocalWorkerSpawner? Spawner, RemoteHostSpawner? Remote,
    CheckpointStore? Checkpoint,
    TaskOutputSink? TaskOutput, ILoggerFactory Logging, SharedStore Shared,
    string SharedFolder, bool ClusterMode)
{
    /// <summary>Its server of shared values (<see cref="Pool.Share{T}(T)"/>), which its workers ask for them.</summary>
    public required IActorRef Sharing { get; init; }

    /// <summary>
    /// What its actor system was made from (<see cref="KeptActorSystems.KeyOf"/>), when the system may be kept for
    /// the program's next pool once this one ends; null when not (a fixed address, a certificate, a cluster).
    /// </summary>
    public string? KeepKey { get; init; }

    /// <summary>Whether its actor system is one kept from the program's last pool.</summary>
    public bool AdoptedActorSystem { get; init; }

    /// <summary>Whether its only workers are the processes it started on this machine: no host joins it or was
    /// started for it over SSH.</summary>
    public bool HasOnlyOwnWorkers => !ClusterMode && Remote is null;

    /// <summary>
    /// Undoes the start when what comes after it fails: no worker process or actor system is left behind.
    /// </summary>
    public async Task AbandonAsync()
    {
        if (Spawner is not null) await Spawner.StopAllAsync(TimeSpan.Zero).ConfigureAwait(false);
        Remote?.StopAll();
        Checkpoint?.Dispose();
        Shared.Clear(null);
        try { await System.Terminate().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); }
        catch (TimeoutException) { /* it goes on stopping in the background */ }
    }
}
