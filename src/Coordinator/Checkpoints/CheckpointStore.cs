using System.Threading.Channels;
using ClusterPool.Contracts.Serialization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ClusterPool.Checkpoints;

/// <summary>
/// <see cref="PoolOptions.Checkpoint"/>: a SQLite file (WAL) of finished items' results, keyed by call name, item index
/// and a hash of the item's arguments. Results are written on a thread of its own, in one transaction per batch, so a
/// kill at any moment leaves whole batches; Dispose writes what is queued and closes the file.
/// </summary>
internal sealed class CheckpointStore : IDisposable
{
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly Channel<StoredItem> _queue = Channel.CreateUnbounded<StoredItem>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writing;
    private readonly Lock _gate = new();
    private long _queued, _written;

    private readonly ILogger _log;

    /// <summary>
    /// Opens the checkpoint at <paramref name="path"/>, or makes it. A file that cannot serve (a missing folder, not a
    /// database, another program's database, damaged, read-only, locked longer than <see cref="StartLockWait"/>) is
    /// refused with a <see cref="CheckpointException"/> that names it and says what to do.
    /// </summary>
    /// <param name="path">The file (<see cref="PoolOptions.Checkpoint"/>).</param>
    /// <param name="log">Where a failure to write, later, is reported.</param>
    /// <param name="lockWait">How long a write waits for another process's lock on the file before checkpointing is
    /// switched off (SQLite's default: 30 s).</param>
    /// <param name="cancel">Ends the wait for another process's lock at the start
    /// (<see cref="OperationCanceledException"/>, the file closed).</param>
    public CheckpointStore(string path, ILogger log, TimeSpan? lockWait = null, CancellationToken cancel = default)
    {
        _log = log;
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path, Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling((lockWait ?? TimeSpan.FromSeconds(30)).TotalSeconds)),
        }.ToString();
        _writer = new SqliteConnection(_connectionString);
        try
        {
            _writer.Open();
            CheckpointSchema.Prepare(_writer, Path, StartLockWait, cancel);
        }
        catch (Exception e) when (e is SqliteException or CheckpointException or OperationCanceledException)
        {
            _writer.Dispose();
            if (e is SqliteException sqlite) throw CheckpointProblem.Error(Path, sqlite);
            throw;
        }
        _writing = Task.Factory.StartNew(WriteLoop, TaskCreationOptions.LongRunning).Unwrap();
    }

    /// <summary>
    /// How long <c>Pool.Start</c> waits for another process's lock on the file. A checkpoint's own writes hold it for
    /// milliseconds: a lock held this long is something else's (a sqlite3 shell in a transaction), and the user is
    /// better told at once than after SQLite's 30 s.
    /// </summary>
    private static readonly TimeSpan StartLockWait = TimeSpan.FromSeconds(5);

    /// <summary>The checkpoint file's full path.</summary>
    public string Path { get; }

    /// <summary>
    /// Starts (or resumes) the call named <paramref name="name"/>, made with <paramref name="function"/> (its
    /// checkpoint identity). Results stored under that name by another function are not this call's: a name the caller
    /// chose (<paramref name="namedByCaller"/>) is refused; a name taken from the function (the code changed since: a
    /// lambda's number taken over by another, a new result type) has them dropped, and its items run again.
    /// </summary>
    public CheckpointedCall BeginCall(string name, string function, bool namedByCaller)
    {
        lock (_gate) // one connection, two threads (this caller's and the writer's): one at a time
        {
            try
            {
                var stored = Run("INSERT INTO calls (name, function) VALUES ($name, $function) ON CONFLICT (name) DO " +
                    "NOTHING; SELECT function FROM calls WHERE name = $name", name, function);
                if (stored == function) return new CheckpointedCall(this, name);
                if (namedByCaller)
                    throw new CheckpointMismatchException(
                        $"the checkpoint {Path} holds the results of call \"{name}\" made with {stored}; this call " +
                            $"runs {function}. " +
                        "Give this call a new name (pool.With(new CallOptions { Name = \"...\" })) or delete the " +
                            "checkpoint file.");
                Run("BEGIN; DELETE FROM results WHERE call = $name; UPDATE calls SET function = $function WHERE " +
                    "name = $name; COMMIT", name, function);
                _log.LogWarning("the checkpoint {Path} held results of call \"{Name}\" made with {Stored}; this call " +
                    "runs {Function}: they are not reused, and its items run again", Path, name, stored, function);
            }
            catch (SqliteException e) { throw CheckpointProblem.Error(Path, e); } // read-only or locked since the start
        }
        return new CheckpointedCall(this, name);
    }

    /// <summary>Runs <paramref name="sql"/> with <c>$name</c> and <c>$function</c>; its first value.</summary>
    private string? Run(string sql, string name, string function)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$function", function);
        return command.ExecuteScalar() as string;
    }

    /// <summary>Queues a result for writing.</summary>
    public void Store(StoredItem item)
    {
        Interlocked.Increment(ref _queued);
        _queue.Writer.TryWrite(item);
    }

    /// <summary>The stored results of <paramref name="call"/> in item order, read lazily on a connection of their
    /// own.</summary>
    public IEnumerable<(long Index, long ArgumentHash, byte[] Result)> Read(string call)
    {
        using var reader = new SqliteConnection(_connectionString);
        reader.Open();
        using var command = reader.CreateCommand();
        command.CommandText = "SELECT item, argument_hash, result FROM results WHERE call = $call ORDER BY item";
        command.Parameters.AddWithValue("$call", call);
        using var rows = command.ExecuteReader();
        while (rows.Read()) yield return (rows.GetInt64(0), rows.GetInt64(1), (byte[])rows.GetValue(2));
    }

    /// <summary>Waits until every queued result is in the file.</summary>
    public void Flush(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Interlocked.Read(ref _written) < Interlocked.Read(ref _queued) && DateTime.UtcNow < deadline
            && !_writing.IsCompleted) Thread.Sleep(5);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        try { _writing.Wait(TimeSpan.FromSeconds(30)); } catch (AggregateException) { }
        _writer.Dispose();
    }

    private async Task WriteLoop()
    {
        var batch = new List<StoredItem>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            // A little wait lets a burst of results share one transaction (one fsync), without holding them long.
            await Task.Delay(20);
            while (batch.Count < 5000 && _queue.Reader.TryRead(out var item)) batch.Add(item);
            try { Write(batch); }
            catch (Exception e) when (e is SqliteException or IOException or InvalidOperationException)
            {
                // The results still reach the caller; only the resume is lost. Say so once, loudly, and stop writing,
                // with the advice that fits the cause: a lock is not cured by freeing space.
                _log.LogError(
                    "the checkpoint {Path} {Problem}; this run's results from here on are not stored, so not resumable",
                    Path, e is SqliteException sqlite ? CheckpointProblem.Describe(Path, sqlite)
                        : $"cannot be written ({e.Message}): free space or fix the file's permissions, and run again");
                _queue.Writer.TryComplete();
                return;
            }
            finally
            {
                Interlocked.Add(ref _written, batch.Count);
                batch.Clear();
            }
        }
    }

    private void Write(List<StoredItem> batch)
    {
        lock (_gate)
        {
            using var transaction = _writer.BeginTransaction();
            using var command = _writer.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                "INSERT OR REPLACE INTO results (call, item, argument_hash, result) VALUES ($call, $item, $hash, " +
                "$result)";
            var call = command.Parameters.Add("$call", SqliteType.Text);
            var index = command.Parameters.Add("$item", SqliteType.Integer);
            var hash = command.Parameters.Add("$hash", SqliteType.Integer);
            var result = command.Parameters.Add("$result", SqliteType.Blob);
            foreach (var item in batch)
            {
                byte[] bytes;
                try { bytes = PayloadSerializer.Serialize(item.Value, "a result for the checkpoint"); }
                catch (PayloadSerializationException) { continue; } // it reached the caller; next run computes it again
                (call.Value, index.Value, hash.Value, result.Value) = (item.Call, item.Index, item.ArgumentHash, bytes);
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }
}
