namespace ClusterPool.Contracts.Sharing;

/// <summary>The pool a handle was made by (<c>Pool.Share</c>), as the handle sees it.</summary>
internal interface ISharedOwner
{
    /// <summary>The handle was disposed: the pool frees the value once no other handle of it is left.</summary>
    void Release(SharedKey key);

    /// <summary>Whether the pool is still open (a closed pool's values are freed).</summary>
    bool IsOpen { get; }
}
