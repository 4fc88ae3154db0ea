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

    /// <summary>
    /// For an input of unknown length: how many items the feeder reads ahead to learn it (0: it does not). An input
    /// that ends within them is cut by <see cref="ForLength"/>; a longer one in chunks of <see cref="Size"/>.
    /// </summary>
    public int LookAhead { get; private init; }

    private int _poolSize;

    /// <summary>Map's chunks for an input of unknown length on <paramref name="poolSize"/> slots: chunks of
    /// <paramref name="size"/>, unless the input ends within as many items as four such chunks a slot.</summary>
    public static ChunkPlan UnknownLength(int size, int poolSize) => Fixed(size) with
    {
        LookAhead = (int)Math.Min(100_000L, 4L * Math.Max(1, poolSize) * size), _poolSize = poolSize,
    };

    /// <summary>The plan for an input found to hold <paramref name="items"/> items (Map's rule).</summary>
    public ChunkPlan ForLength(long items) => ChunkSize.ForMap((int)items, _poolSize, Size);

    /// <summary>The size of chunk number <paramref name="chunk"/> (from 0).</summary>
    public int SizeOf(long chunk) => chunk < LargerChunks ? Size : Size - 1;
}
