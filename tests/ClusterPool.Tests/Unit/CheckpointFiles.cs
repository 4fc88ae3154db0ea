using ClusterPool.Checkpoints;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterPool.Tests.Unit;

/// <summary>Checkpoint files as users end up with them: written by a run, then damaged, or not checkpoints at all.</summary>
public static class CheckpointFiles
{
    /// <summary>A checkpoint holding the squares of <c>0 .. items-1</c> under call <paramref name="call"/>, as a Map of
    /// <c>int</c> items stores them.</summary>
    internal static void WriteSquares(string path, string call, string function, int items)
    {
        using var store = new CheckpointStore(path, NullLogger.Instance);
        var stored = store.BeginCall(call, function, namedByCaller: true);
        for (var i = 0; i < items; i++) stored.Remember(i, CheckpointedCall.HashOf(i));
        stored.Store(0, Enumerable.Range(0, items).Select(i => i * i).ToArray(), 0, items);
        store.Flush(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Overwrites the rows' pages in the middle fifth of the file with garbage, as a bad disk or a stray write would:
    /// the schema, the calls and the results' index stay readable, and the results fail part-way. Only table leaf pages
    /// (SQLite's page type 13, which hold the rows) are hit: an index or interior page in the middle (where one lands
    /// depends on the order the results were written in) failed the first read, before any result.
    /// </summary>
    public static void DamageMiddlePages(string path)
    {
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open(); // everything in the file itself, none in its -wal
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            command.ExecuteNonQuery();
        }
        const int page = 4096, tableLeaf = 13;
        var pages = new FileInfo(path).Length / page;
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var garbage = Enumerable.Repeat((byte)0x5A, page).ToArray();
        for (var p = pages * 2 / 5; p < pages * 3 / 5; p++)
        {
            file.Position = p * page;
            if (file.ReadByte() != tableLeaf) continue;
            file.Position = p * page;
            file.Write(garbage);
        }
    }

    /// <summary>Whether SQLite finds the file sound.</summary>
    public static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>Runs <paramref name="sql"/> on the file (making it if missing).</summary>
    public static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
