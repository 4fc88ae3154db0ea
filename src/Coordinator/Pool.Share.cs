namespace ClusterPool;

public sealed partial class Pool
{
    /// <summary>
    /// Shares <paramref name="value"/> with the pool's workers: pass the handle to tasks as an argument and read
    /// <see cref="Shared{T}.Value"/> there. The value is serialized once here and crosses to each machine once, when
    /// a task there first reads it (a machine that joins late gets it then too); each worker process reads it once.
    /// Without it, a large input travels with every chunk that takes it as an argument, or once per worker process as
    /// <see cref="PoolOptions.InitArgs"/>. Dispose the handle to free the value everywhere (closing the pool does too).
    /// Ray: <c>ray.put</c>; Dask: <c>client.scatter(value, broadcast=True)</c>.
    /// </summary>
    /// <exception cref="PayloadSerializationException">The value cannot be sent to another process; the message names
    /// the type.</exception>
    /// <exception cref="InvalidOperationException">The pool was terminated.</exception>
    public Shared<T> Share<T>(T value)
    {
        _state.ThrowIfTerminated();
        return _parts.Shared.Add(value);
    }

    /// <summary>
    /// Shares an array of plain values (<c>double[]</c>, <c>byte[]</c>, your own unmanaged structs) with the pool's
    /// workers: it crosses to each machine once, and the worker processes of a machine map one copy of it (a
    /// memory-mapped file) instead of holding one each. Tasks read it through <see cref="SharedArray{T}.Span"/>.
    /// The array is copied now: later changes to it are not seen. See <see cref="Share{T}(T)"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pool was terminated.</exception>
    public SharedArray<T> Share<T>(T[] values) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(values);
        _state.ThrowIfTerminated();
        return _parts.Shared.Add(values);
    }
}
