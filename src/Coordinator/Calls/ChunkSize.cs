namespace ClusterPool.Calls;

/// <summary>How many items travel together when the caller does not say (Python's rules).</summary>
internal static class ChunkSize
{
    /// <summary>
    /// Map's default: as many chunks as Python's rule makes (<c>chunksize, extra = divmod(len, len(pool) * 4); if
    /// extra: chunksize += 1</c>: four per slot, at most), but evenly sized. Python's rule leaves a short last chunk
    /// and, when the chunks do not fill the slots' last round evenly, that round runs part-empty: with 1,024 slots and
    /// 51,200 tasks it makes 3,939 chunks of 13, so the Map takes 4 × 13 task lengths where 50 would do; evenly, 4,096
    /// chunks of 12 or 13 take 50. When the length is unknown, <paramref name="unknownLength"/> items a chunk, unless
    /// the input ends within a few chunks a slot (<see cref="ChunkPlan.UnknownLength"/>).
    /// </summary>
    public static ChunkPlan ForMap(int? itemCount, int poolSize, int unknownLength)
    {
        if (itemCount is not { } count) return ChunkPlan.UnknownLength(unknownLength, poolSize);
        if (count == 0) return ChunkPlan.Fixed(1);
        return ChunkPlan.Even(count, Math.Min(count, Math.Max(1, poolSize) * 4));
    }

    /// <summary>Checks a caller's chunksize; Python raises <c>ValueError</c> for one below 1.</summary>
    public static int Checked(int chunksize, string parameterName = "chunksize") => chunksize >= 1
        ? chunksize
        : throw new ArgumentOutOfRangeException(parameterName, chunksize, "chunksize must be at least 1");
}
