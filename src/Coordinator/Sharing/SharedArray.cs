using ClusterPool.Contracts.Sharing;

namespace ClusterPool;

/// <summary>
/// An array of plain values shared with the pool's workers (<c>pool.Share(prices)</c> for a <c>double[]</c>, a
/// <c>byte[]</c>, an array of your own unmanaged structs): it crosses to each machine once, and every worker process of
/// the machine maps the same copy (a memory-mapped file) instead of holding its own. Tasks read it through
/// <see cref="Span"/> or <see cref="Memory"/>, read-only, as Ray hands out numpy arrays from its object store.
/// </summary>
/// <typeparam name="T">The element type: a primitive (<c>double</c>, <c>long</c>, <c>byte</c>, ...) or a struct of
/// them.</typeparam>
public sealed class SharedArray<T> : SharedValue where T : unmanaged
{
    private readonly T[]? _local;

    internal SharedArray(SharedKey key, T[] copy, ISharedOwner owner) : base(key, owner) => _local = copy;

    /// <summary>A handle that arrived in a task's arguments.</summary>
    internal SharedArray(SharedKey key) : base(key, null) { }

    /// <summary>How many elements the array has.</summary>
    public int Length => (int)(Key.Bytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>());

    /// <summary>
    /// The elements, read-only. In a task, this machine's copy, mapped into the process the first time a task of the
    /// process reads it (fetched from the pool first if no process of this machine has it yet). In the program, a copy
    /// made by <c>Share</c> (later changes to your array are not seen).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The handle was disposed, or its pool closed.</exception>
    public ReadOnlyMemory<T> Memory
    {
        get
        {
            if (_local is null) return SharedValues.Source.Map<T>(Key);
            if (IsDisposed) throw Disposed();
            return _local;
        }
    }

    /// <summary>The elements, read-only (see <see cref="Memory"/>).</summary>
    public ReadOnlySpan<T> Span => Memory.Span;

    /// <summary>The element at <paramref name="index"/>. Each read finds the array anew: in a loop, take
    /// <see cref="Span"/> once and index that.</summary>
    public T this[int index] => Span[index];
}
