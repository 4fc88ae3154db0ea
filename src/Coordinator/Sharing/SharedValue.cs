using ClusterPool.Contracts.Sharing;

namespace ClusterPool;

/// <summary>
/// A handle to a value the program shared with its pool's workers (<c>Pool.Share</c>): tasks take it as an argument
/// and read it, and the value crosses to each machine once, where the worker processes share one copy. Only the
/// handle travels with the tasks (a few dozen bytes). Disposing the handle in the program frees the value on every
/// machine; so does closing the pool.
/// </summary>
public abstract class SharedValue : IDisposable, ISharedHandle
{
    private int _disposed;

    private protected SharedValue(SharedKey key, ISharedOwner? owner) => (Key, Owner) = (key, owner);

    /// <summary>What names the value everywhere: its hash, size and form.</summary>
    internal SharedKey Key { get; }

    SharedKey ISharedHandle.Key => Key;

    /// <summary>The pool that made this handle, in the program; null in a task (it arrived there).</summary>
    internal ISharedOwner? Owner { get; }

    /// <summary>How many bytes the value takes on the wire and in each machine's cache.</summary>
    public long Size => Key.Bytes;

    /// <summary>
    /// True once this handle was disposed or its pool closed; then tasks can no longer be given it. Always false in a
    /// task: there the handle is the pool's, and the program decides when it ends.
    /// </summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) == 1 || Owner is { IsOpen: false };

    /// <summary>
    /// Frees the value on every machine once no other handle to the same value is left (the same value shared twice
    /// is stored once); a worker process lets its copy go when its running tasks end. In a task this does nothing.
    /// </summary>
    public void Dispose()
    {
        if (Owner is null || Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Owner.Release(Key);
    }

    /// <summary>The error for a handle read after it was disposed.</summary>
    private protected ObjectDisposedException Disposed() => new(GetType().Name,
        $"the {Key.Describe()} was disposed (or its pool closed): it can no longer be read or given to tasks");

    /// <inheritdoc />
    public override string ToString() => Key.Describe();
}
