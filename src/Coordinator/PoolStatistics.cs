namespace ClusterPool;

/// <summary>A snapshot of the pool (<see cref="Pool.Statistics"/>): its slots now, and what a long run went
/// through.</summary>
/// <param name="Slots">Worker slots registered now.</param>
/// <param name="WorkersLost">Worker processes lost while running (died, killed, or their host downed) since the pool
/// started.</param>
/// <param name="HostsUnreachable">Times the failure detector called a worker host unreachable.</param>
/// <param name="ChunksRequeued">Chunks that ran again elsewhere after their worker was lost, unreachable or
/// recycled.</param>
public sealed record PoolStatistics(int Slots, int WorkersLost, int HostsUnreachable, long ChunksRequeued)
{
    /// <summary>Slots running or holding work now.</summary>
    public int BusySlots { get; init; }

    /// <summary>Slots with nothing to do now.</summary>
    public int IdleSlots => Math.Max(0, Slots - BusySlots);

    /// <summary>Items read from the calls' inputs and waiting for a slot (the rest of an input is read as slots free
    /// up).</summary>
    public long QueuedItems { get; init; }

    /// <summary>Calls running now.</summary>
    public int RunningCalls { get; init; }

    /// <summary>Items whose results arrived, since the pool started.</summary>
    public long ItemsDone { get; init; }

    /// <summary>Items that failed, since the pool started.</summary>
    public long ItemsFailed { get; init; }

    /// <summary>Items run again because the worker running them was lost, since the pool started.</summary>
    public long ItemsRerun { get; init; }

    /// <summary>
    /// Bytes of shared values (<c>Pool.Share</c>) sent to worker processes since the pool started: each value once per
    /// machine that read it, not once per task or process.
    /// </summary>
    public long SharedBytesSent { get; init; }

    /// <summary>
    /// Bytes of tasks' arguments and results that went between the pool and its own worker processes through memory
    /// instead of the network since the pool started (big payloads only,
    /// <c>clusterpool.local-workers.hand-over-above</c>).
    /// </summary>
    public long HandedOverBytes { get; init; }

    /// <summary>Backup copies of straggling chunks started (<see cref="PoolOptions.Speculation"/>), since the pool
    /// started.</summary>
    public long BackupCopiesStarted { get; init; }

    /// <summary>Backup copies that finished their chunk before its first copy did.</summary>
    public long BackupCopiesWon { get; init; }

    /// <summary>
    /// How much sooner the chunks that backup copies won ended than their first copies would have, added up: an
    /// estimate, at each slower copy's own pace so far (one that had finished none of its items is taken to need as
    /// long again as it had run, for each item left).
    /// </summary>
    public TimeSpan BackupTimeSaved { get; init; }

    /// <summary>Each worker host's share: its processes, slots, busy slots, items done and workers lost.</summary>
    public IReadOnlyList<HostStatistics> Hosts { get; init; } = [];
}
