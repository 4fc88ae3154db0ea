using ClusterPool.Jobs;

namespace ClusterPool;

/// <summary>A pool seen through <see cref="Pool.With"/>: the same workers, calls with their own settings.</summary>
internal sealed class PoolWithOptions(Pool pool, CallSettings settings) : PoolMethods
{
    private protected override Pool Target => pool;

    private protected override CallSettings Settings => settings;
}
