using ClusterPool.Calls;

namespace ClusterPool;

/// <summary>A pool seen through <see cref="Pool.With"/>: the same workers, calls with their own settings.</summary>
internal sealed class PoolWithOptions(CallSubmitter calls, CallSettings settings) : PoolMethods(calls, settings);
