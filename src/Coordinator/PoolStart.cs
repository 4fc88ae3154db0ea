namespace ClusterPool;

/// <summary>What a pool is started with, once its options were checked (<see cref="PoolOptionsCheck"/>).</summary>
/// <param name="Options">The caller's options.</param>
/// <param name="Processes">The pool size (<see cref="PoolOptions.Processes"/>, else the number of cores).</param>
/// <param name="LocalWorkers">Worker processes to start on this machine.</param>
/// <param name="ClusterMode">True when the pool listens for worker hosts of other machines, or joins seed
/// nodes.</param>
/// <param name="Hosts">The machines it starts worker hosts on over SSH (<see cref="PoolOptions.Hosts"/>).</param>
internal sealed record PoolStart(PoolOptions Options, int Processes, int LocalWorkers, bool ClusterMode,
    IReadOnlyList<Hosts.HostSpec> Hosts);
