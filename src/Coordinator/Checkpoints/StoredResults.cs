using Microsoft.Data.Sqlite;

namespace ClusterPool.Checkpoints;

/// <summary>
/// A forward-only walk through a call's stored results, in step with the input (both in item order). A file that
/// fails part-way (a damaged page) throws a <see cref="CheckpointException"/> naming it: the call then ends with it,
/// after the results of every earlier item.
/// </summary>
internal sealed class StoredResults : IDisposable
{
    private readonly IEnumerator<(long Index, long ArgumentHash, byte[] Result)> _rows;
    private readonly string _path;
    private long _lastRead = -1;
    private bool _more;

    public StoredResults(IEnumerator<(long Index, long ArgumentHash, byte[] Result)> rows, string path)
    {
        (_rows, _path) = (rows, path);
        _more = Advance();
    }

    /// <summary>The stored result of item <paramref name="index"/> if its arguments hash to
    /// <paramref name="argumentHash"/>.</summary>
    public bool TryGet(long index, long argumentHash, out byte[] result)
    {
        while (_more && _rows.Current.Index < index) _more = Advance();
        result = _more && _rows.Current.Index == index && _rows.Current.ArgumentHash == argumentHash
            ? _rows.Current.Result : null!;
        return result is not null;
    }

    public void Dispose() => _rows.Dispose();

    private bool Advance()
    {
        try
        {
            if (!_rows.MoveNext()) return false;
            _lastRead = _rows.Current.Index;
            return true;
        }
        // A damaged page fails the read (SQLITE_CORRUPT), or yields a cell of the wrong type.
        catch (Exception e) when (e is SqliteException or InvalidCastException)
        {
            var where = _lastRead < 0 ? "" : $" after item {_lastRead}";
            var reason = e is SqliteException sqlite ? CheckpointProblem.Describe(_path, sqlite)
                : $"is damaged ({e.Message}): delete it (its items then run again) or point PoolOptions.Checkpoint " +
                    "at another file";
            throw new CheckpointException(_path,
                $"the stored results of this call cannot be read{where}: the checkpoint {_path} {reason}", e);
        }
    }
}
