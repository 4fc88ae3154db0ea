using ClusterPool.Contracts.Sharing;

namespace ClusterPool;

/// <summary>
/// A value shared with the pool's workers (<c>pool.Share(value)</c>): pass the handle to tasks and read
/// <see cref="Value"/> there. The value is serialized once, crosses to each machine once and is read once per worker
/// process (then kept), instead of travelling with every task or every process (Python's <c>initargs</c>). Ray's
/// <c>ray.put</c> and Dask's <c>scatter(broadcast=True)</c> do the same.
/// </summary>
/// <typeparam name="T">The value's type: anything a task argument may be.</typeparam>
public sealed class Shared<T> : SharedValue
{
    private readonly T _value = default!;
    private readonly bool _local;

    internal Shared(SharedKey key, T value, ISharedOwner owner) : base(key, owner) => (_value, _local) = (value, true);

    /// <summary>A handle that arrived in a task's arguments.</summary>
    internal Shared(SharedKey key) : base(key, null) { }

    /// <summary>
    /// The value. In a task, read from this machine's copy the first time a task of this process reads it (fetched
    /// from the pool first if no process of this machine has it yet), then kept; treat it as read-only, as other
    /// tasks of the process read the same object. In the program, the value given to <c>Share</c>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The handle was disposed, or its pool closed.</exception>
    public T Value
    {
        get
        {
            if (!_local) return SharedValues.Source.Read<T>(Key);
            if (IsDisposed) throw Disposed();
            return _value;
        }
    }
}
