using Microsoft.Data.Sqlite;

namespace ClusterPool.Checkpoints;

/// <summary>
/// What a <see cref="SqliteException"/> from the checkpoint file means to the user, and what to do about it: SQLite's
/// own words ("unable to open database file", "database is locked") name neither the file nor the cure.
/// </summary>
internal static class CheckpointProblem
{
    private const string Elsewhere = "point PoolOptions.Checkpoint at another file";

    /// <summary>The error for the checkpoint at <paramref name="path"/> that failed with
    /// <paramref name="e"/>.</summary>
    public static CheckpointException Error(string path, SqliteException e) =>
        new(path, $"the checkpoint {path} {Describe(path, e)}", e);

    /// <summary>What is wrong with the file and what to do, as the end of a sentence that starts with its
    /// name.</summary>
    public static string Describe(string path, SqliteException e)
    {
        var reason = Reason(e);
        return (e.SqliteErrorCode & 0xFF) switch // the primary result code, should an extended one come
        {
            5 or 6 => $"is locked by another process ({reason}): end what holds it (another run with this " +
                $"checkpoint, a sqlite3 shell with an open transaction) or {Elsewhere}",
            3 or 8 or 23 => $"cannot be written ({reason}): make the file and its folder writable (SQLite writes " +
                $"{System.IO.Path.GetFileName(path)}-wal and -shm beside it) or {Elsewhere}",
            11 => $"is damaged ({reason}): delete it (its items then run again) or {Elsewhere}",
            26 => $"is not a SQLite database ({reason}), so not a checkpoint: {Elsewhere} (or delete it, if it is a " +
                "checkpoint that was damaged)",
            13 => $"cannot be written: the disk is full ({reason}): free space or {Elsewhere} on a disk with room",
            10 => $"cannot be read or written ({reason}): check the disk, or {Elsewhere}",
            14 => CannotOpen(path, reason),
            _ => $"cannot be used ({reason}): delete it or {Elsewhere}",
        };
    }

    private static string CannotOpen(string path, string reason)
    {
        if (Directory.Exists(path))
            return $"is a folder: name a file in it (for example {System.IO.Path.Combine(path, "run.ckpt.db")})";
        var folder = System.IO.Path.GetDirectoryName(path);
        if (folder is not null && !Directory.Exists(folder))
            return $"cannot be made: its folder {folder} does not exist; create it or {Elsewhere}";
        return $"cannot be opened ({reason}): check the permissions of the file and its folder, or {Elsewhere}";
    }

    /// <summary>SQLite's words without the wrapper: "SQLite Error 11: 'database disk image is malformed'.".</summary>
    private static string Reason(SqliteException e)
    {
        var (first, last) = (e.Message.IndexOf('\''), e.Message.LastIndexOf('\''));
        return last > first + 1 ? e.Message[(first + 1)..last] : e.Message.TrimEnd('.');
    }
}
