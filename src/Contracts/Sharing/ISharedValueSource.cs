namespace ClusterPool.Contracts.Sharing;

/// <summary>
/// Where a process finds the shared values its tasks read: in a worker, its machine's cache (filled from the pool once
/// per machine); in the pool's own process, the pool's store. Installed once per process (<see cref="SharedValues"/>).
/// </summary>
internal interface ISharedValueSource
{
    /// <summary>The serialized value named by <paramref name="key"/>, read back as a <typeparamref name="T"/>: once per
    /// process, then kept.</summary>
    T Read<T>(SharedKey key);

    /// <summary>The array named by <paramref name="key"/>, mapped into this process without a copy;
    /// read-only.</summary>
    ReadOnlyMemory<T> Map<T>(SharedKey key) where T : unmanaged;
}
