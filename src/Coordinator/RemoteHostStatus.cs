namespace ClusterPool;

/// <summary>One host of <see cref="PoolOptions.Hosts"/>, as <see cref="Pool.RemoteHosts"/> shows it.</summary>
/// <param name="Host">The host, as given.</param>
/// <param name="State">Where its worker host is.</param>
/// <param name="Slots">Its slots (0 until it runs).</param>
/// <param name="Failure">Why it does not run (for <see cref="RemoteHostState.Failed"/>), or why it last
/// ended.</param>
/// <param name="ShippedBytes">File content shipped to it by this pool: 0 when its cache had this build.</param>
/// <param name="ShippedFiles">Files shipped to it by this pool.</param>
/// <param name="Restarts">Times its worker host was started again after it was lost (crashed, killed, its session
/// cut); a worker host that retired (<c>MaxTasksPerChild</c>, <c>MaxMemoryPerChild</c>) is replaced without
/// one.</param>
public sealed record RemoteHostStatus(string Host, RemoteHostState State, int Slots, string? Failure,
    long ShippedBytes, int ShippedFiles, int Restarts);
