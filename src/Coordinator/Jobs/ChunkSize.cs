namespace ClusterPool.Jobs;

/// <summary>How many items travel together when the caller does not say (Python's rules).</summary>
internal static class ChunkSize
{
    /// <summary>
    /// Python's <c>map</c> rule: <c>chunksize, extra = divmod(len, len(pool) * 4); if extra: chunksize += 1</c>
    /// (and 1 for an empty input). When the length is unknown, <paramref name="unknownLength"/> is used.
    /// </summary>
    public static int ForMap(int? itemCount, int poolSize, int unknownLength)
    {
        if (itemCount is not { } count) return unknownLength;
        if (count == 0) return 1;
        var size = Math.Max(1, poolSize) * 4;
        var chunk = count / size;
        return count % size != 0 ? chunk + 1 : Math.Max(chunk, 1);
    }

    /// <summary>Checks a caller's chunksize; Python raises <c>ValueError</c> for one below 1.</summary>
    public static int Checked(int chunksize, string parameterName = "chunksize") => chunksize >= 1
        ? chunksize
        : throw new ArgumentOutOfRangeException(parameterName, chunksize, "chunksize must be at least 1");
}
