namespace ClusterPool.Diagnostics;

/// <summary>What the coordinator tells the caller's threads about the pool: slots now, and the faults it got
/// over.</summary>
internal sealed class PoolStatus
{
    private int _slots;
    private int _workersLost;
    private int _unreachable;
    private long _chunksRequeued;
    private long _sharedBytesSent;
    private long _handedOverBytes;

    /// <summary>A local worker process (by pid) registered with the coordinator: the next one may join.</summary>
    public event Action<int>? LocalWorkerRegistered;

    public void OnLocalWorkerRegistered(int pid) => LocalWorkerRegistered?.Invoke(pid);

    /// <summary>Registered worker slots now, less those of unreachable hosts.</summary>
    public int Slots => Volatile.Read(ref _slots);

    public void SetSlots(int count) => Volatile.Write(ref _slots, count);

    public void WorkerLost()
    {
        Interlocked.Increment(ref _workersLost);
        PoolMetrics.WorkersLost.Add(1);
    }

    public void HostUnreachable() => Interlocked.Increment(ref _unreachable);

    public void ChunksRequeued(int count) => Interlocked.Add(ref _chunksRequeued, count);

    private long _itemsDone, _itemsFailed, _itemsRerun;

    public void ItemsDone(long count)
    {
        Interlocked.Add(ref _itemsDone, count);
        PoolMetrics.ItemsDone.Add(count);
    }

    public void ItemsFailed(long count)
    {
        Interlocked.Add(ref _itemsFailed, count);
        PoolMetrics.ItemsFailed.Add(count);
    }

    /// <summary>Items of chunks that run again because their worker was lost (not yet delivered when it
    /// went).</summary>
    public void ItemsRerun(long count)
    {
        Interlocked.Add(ref _itemsRerun, count);
        if (count > 0) PoolMetrics.ItemsRerun.Add(count);
    }

    private WorkerStartException? _startFailure;

    /// <summary>Set while the local workers cannot start (<see cref="WorkerStartException"/>); null once one
    /// registers.</summary>
    public WorkerStartException? StartFailure
    {
        get => Volatile.Read(ref _startFailure);
        set => Volatile.Write(ref _startFailure, value);
    }

    /// <summary>Bytes of shared values (<c>Pool.Share</c>) sent to worker processes.</summary>
    public void SharedBytesSent(long bytes) => Interlocked.Add(ref _sharedBytesSent, bytes);

    /// <summary>Bytes of payloads handed to this machine's worker processes through memory
    /// (<see cref="Dispatch.PayloadHandOver"/>).</summary>
    public void HandedOver(long bytes) => Interlocked.Add(ref _handedOverBytes, bytes);

    private long _backupsStarted, _backupsWon, _backupTicksSaved;

    /// <summary>A backup copy of a straggling chunk started.</summary>
    public void BackupStarted() => Interlocked.Increment(ref _backupsStarted);

    /// <summary>A backup copy finished its chunk first, <paramref name="saved"/> sooner than the first copy would
    /// have.</summary>
    public void BackupWon(TimeSpan saved)
    {
        Interlocked.Increment(ref _backupsWon);
        Interlocked.Add(ref _backupTicksSaved, saved.Ticks);
    }

    /// <summary>The pool-wide counters; the coordinator adds what only it knows (busy slots, queue, hosts).</summary>
    public PoolStatistics Snapshot() => new(Slots, Volatile.Read(ref _workersLost), Volatile.Read(ref _unreachable),
        Interlocked.Read(ref _chunksRequeued))
    {
        ItemsDone = Interlocked.Read(ref _itemsDone),
        ItemsFailed = Interlocked.Read(ref _itemsFailed),
        ItemsRerun = Interlocked.Read(ref _itemsRerun),
        SharedBytesSent = Interlocked.Read(ref _sharedBytesSent),
        HandedOverBytes = Interlocked.Read(ref _handedOverBytes),
        BackupCopiesStarted = Interlocked.Read(ref _backupsStarted),
        BackupCopiesWon = Interlocked.Read(ref _backupsWon),
        BackupTimeSaved = TimeSpan.FromTicks(Interlocked.Read(ref _backupTicksSaved)),
    };
}
