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

/// <summary>How many items travel together when the caller does not say (Python's rules).</summary>
internal static class ChunkSize
{
    /// <summary>
    /// Map's default: as many chunks as Python's rule makes (<c>chunksize, extra = divmod(len, len(pool) * 4); if
    /// extra:
    /// chunksize += 1</c>: four per slot, at most), but evenly sized. Python's rule leaves a short last chunk and, when
    /// the chunks do not fill the slots' last round evenly, that round runs part-empty: with 1,024 slots and 51,200
    /// tasks it makes 3,939 chunks of 13, so the Map takes 4 × 13 task lengths where 50 would do; evenly, 4,096 chunks
    /// of 12 or 13 take 50. When the length is unknown, <paramref name="unknownLength"/> items a chunk.
    /// </summary>
    public static ChunkPlan ForMap(int? itemCount, int poolSize, int unknownLength)
    {
        if (itemCount is not { } count) return ChunkPlan.Fixed(unknownLength);
        if (count == 0) return ChunkPlan.Fixed(1);
        return ChunkPlan.Even(count, Math.Min(count, Math.Max(1, poolSize) * 4));
    }

    /// <summary>Checks a caller's chunksize; Python raises <c>ValueError</c> for one below 1.</summary>
    public static int Checked(int chunksize, string parameterName = "chunksize") => chunksize >= 1
        ? chunksize
        : throw new ArgumentOutOfRangeException(parameterName, chunksize, "chunksize must be at least 1");
}
