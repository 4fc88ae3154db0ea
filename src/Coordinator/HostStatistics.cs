namespace ClusterPool;

/// <summary>One worker host in <see cref="PoolStatistics.Hosts"/>.</summary>
/// <param name="Name">The host's machine name.</param>
/// <param name="Address">The address its workers talk from.</param>
/// <param name="Processes">Worker processes registered there now.</param>
/// <param name="Slots">Their slots.</param>
/// <param name="BusySlots">Slots running or holding work now.</param>
/// <param name="ItemsDone">Items whose results came from there, since the pool started.</param>
/// <param name="WorkersLost">Worker processes lost there while running, since the pool started.</param>
public sealed record HostStatistics(string Name, string Address, int Processes, int Slots, int BusySlots,
    long ItemsDone, int WorkersLost);
