namespace ClusterPool.Dispatch;

/// <summary>What the coordinator tells the caller's threads about the pool: how many slots are registered.</summary>
internal sealed class PoolStatus
{
    private int _slots;

    /// <summary>Registered worker slots now.</summary>
    public int Slots => Volatile.Read(ref _slots);

    public void SetSlots(int count) => Volatile.Write(ref _slots, count);
}
