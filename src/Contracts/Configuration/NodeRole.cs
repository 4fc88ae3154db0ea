namespace ClusterPool.Contracts.Configuration;

/// <summary>Which kind of process a configuration is for.</summary>
internal enum NodeRole
{
    /// <summary>The process that owns the pool.</summary>
    Coordinator,
    /// <summary>A worker host.</summary>
    Worker,
}
