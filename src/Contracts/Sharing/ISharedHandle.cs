namespace ClusterPool.Contracts.Sharing;

/// <summary>
/// What the wire sees of a shared value's handle (<c>Shared&lt;T&gt;</c>, <c>SharedArray&lt;T&gt;</c>, public in the
/// library): its key, and whether it may still be sent. An implementation has a non-public constructor taking the
/// <see cref="SharedKey"/> alone, for a handle that arrived.
/// </summary>
internal interface ISharedHandle
{
    /// <summary>What names the value everywhere.</summary>
    SharedKey Key { get; }

    /// <summary>Disposed, or its pool closed: it may not be sent.</summary>
    bool IsDisposed { get; }
}
