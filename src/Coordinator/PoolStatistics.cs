namespace ClusterPool;

/// <summary>A snapshot of the pool's health (<see cref="Pool.Statistics"/>): what a long run went through.</summary>
/// <param name="Slots">Worker slots registered now.</param>
/// <param name="WorkersLost">Worker processes lost while running (died, killed, or their host downed) since the pool started.</param>
/// <param name="HostsUnreachable">Times the failure detector called a worker host unreachable.</param>
/// <param name="ChunksRequeued">Chunks that ran again elsewhere after their worker was lost, unreachable or recycled.</param>
public sealed record PoolStatistics(int Slots, int WorkersLost, int HostsUnreachable, long ChunksRequeued);
