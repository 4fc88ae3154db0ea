namespace ClusterPool.Calls;

/// <summary>
/// How many items each chunk of a call takes, in order: <see cref="Size"/> for the first <see cref="LargerChunks"/>
/// chunks, one fewer after them (a caller's chunksize: <see cref="Size"/> for all).
/// </summary>
internal sealed record ChunkPlan(int Size, long LargerChunks)
{
    /// <summary>Every chunk <paramref name="size"/> items (the last one what is left).</summary>
    public static ChunkPlan Fixed(int size) => new(size, long.MaxValue);

    /// <summary>A caller's chunksize.</summary>
    public static implicit operator ChunkPlan(int size) => Fixed(size);

    /// <summary><paramref name="items"/> items in exactly <paramref name="chunks"/> chunks whose sizes differ by one at
    /// most, the larger first.</summary>
    public static ChunkPlan Even(int items, int chunks)
    {
        var (size, extra) = Math.DivRem(items, chunks);
        return extra == 0 ? Fixed(size) : new(size + 1, extra);
    }

    /// <summary>The size of chunk number <paramref name="chunk"/> (from 0).</summary>
    public int SizeOf(long chunk) => chunk < LargerChunks ? Size : Size - 1;
}
