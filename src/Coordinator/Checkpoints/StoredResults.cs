namespace ClusterPool.Checkpoints;

/// <summary>A forward-only walk through a call's stored results, in step with the input (both in item order).</summary>
internal sealed class StoredResults(IEnumerator<(long Index, long ArgumentHash, byte[] Result)> rows) : IDisposable
{
    private bool _more = rows.MoveNext();

    /// <summary>The stored result of item <paramref name="index"/> if its arguments hash to
    /// <paramref name="argumentHash"/>.</summary>
    public bool TryGet(long index, long argumentHash, out byte[] result)
    {
        while (_more && rows.Current.Index < index) _more = rows.MoveNext();
        result = _more && rows.Current.Index == index && rows.Current.ArgumentHash == argumentHash ? rows.Current.Result
            : null!;
        return result is not null;
    }

    public void Dispose() => rows.Dispose();
}
