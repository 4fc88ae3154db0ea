using System.Diagnostics;
using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

namespace ClusterPool.Checkpoints;

/// <summary>
/// The checkpoint's tables. A file is taken as a checkpoint only if it is empty (new) or holds these tables and nothing
/// else: pointed at another program's database, the pool refuses it before writing a byte, rather than add its tables
/// to it, or read another <c>results</c> table as its own (which failed on each call's first read, and hung the call).
/// </summary>
internal static class CheckpointSchema
{
    private static readonly Dictionary<string, string[]> Tables = new()
    {
        ["calls"] = ["name", "function"],
        ["results"] = ["call", "item", "argument_hash", "result"],
    };

    private const string Create = """
        CREATE TABLE IF NOT EXISTS calls (name TEXT PRIMARY KEY, function TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS results (
            call TEXT NOT NULL, item INTEGER NOT NULL, argument_hash INTEGER NOT NULL, result BLOB NOT NULL,
            PRIMARY KEY (call, item));
        """;

    /// <summary>
    /// Refuses a file that is not a checkpoint (<see cref="CheckpointException"/>), then creates the tables that are
    /// missing. Only reads until the file is known to be a checkpoint; the writing takes the write lock
    /// (<c>BEGIN IMMEDIATE</c>), so a read-only or locked file is refused here, at <c>Pool.Start</c>, not at the first
    /// call. A lock is waited for up to <paramref name="lockWait"/>; <paramref name="cancel"/> ends that wait at once
    /// (<see cref="OperationCanceledException"/>).
    /// </summary>
    public static void Prepare(SqliteConnection connection, string path, TimeSpan lockWait, CancellationToken cancel)
    {
        if (Foreign(connection) is { Count: > 0 } foreign)
            throw new CheckpointException(path,
                $"the checkpoint {path} is a database, but not a ClusterPool checkpoint: it holds " +
                    $"{string.Join(", ", foreign)}. It was left as it is. Point PoolOptions.Checkpoint at a file of " +
                    "its own (a new one is made).");
        WhenUnlocked(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", lockWait, cancel);
        WhenUnlocked(connection, "BEGIN IMMEDIATE", lockWait, cancel);
        Execute(connection, $"{Create} COMMIT;", lockWait); // the write lock is this connection's now
    }

    /// <summary>How often a locked file is tried again.</summary>
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Runs <paramref name="sql"/>, which takes the file's lock, again while another connection holds it, for up to
    /// <paramref name="lockWait"/> (then SQLite's "database is locked"). SQLite's own wait (the command timeout) sleeps
    /// where nothing can end it: a cancelled <c>Pool.StartAsync</c> waited it out.
    /// </summary>
    private static void WhenUnlocked(
        SqliteConnection connection, string sql, TimeSpan lockWait, CancellationToken cancel)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            var rc = sqlite3_exec(connection.Handle, sql, out _); // fails at once on a lock: no busy handler is set
            if (rc is not (SQLITE_BUSY or SQLITE_LOCKED) || waited.Elapsed >= lockWait)
            {
                SqliteException.ThrowExceptionForRC(rc, connection.Handle); // nothing when it ran
                return;
            }
            cancel.WaitHandle.WaitOne(LockRetry);
        }
    }

    /// <summary>What the file holds that a checkpoint does not: other tables, views, indexes, triggers, or a table of
    /// a checkpoint's name with other columns.</summary>
    private static List<string> Foreign(SqliteConnection connection)
    {
        var foreign = new List<string>();
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
        using (var rows = command.ExecuteReader())
            while (rows.Read())
                if (rows.GetString(0) != "table" || !Tables.ContainsKey(rows.GetString(1)))
                    foreign.Add($"the {rows.GetString(0)} {rows.GetString(1)}");
        foreach (var (table, columns) in Tables)
            if (Columns(connection, table) is { Count: > 0 } found && !found.SequenceEqual(columns))
                foreign.Add($"a table {table} ({string.Join(", ", found)})");
        return foreign;
    }

    private static List<string> Columns(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info($table) ORDER BY cid";
        command.Parameters.AddWithValue("$table", table);
        using var rows = command.ExecuteReader();
        var columns = new List<string>();
        while (rows.Read()) columns.Add(rows.GetString(0));
        return columns;
    }

    private static void Execute(SqliteConnection connection, string sql, TimeSpan lockWait)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(lockWait.TotalSeconds)); // 0 would wait for ever
        command.ExecuteNonQuery();
    }
}
