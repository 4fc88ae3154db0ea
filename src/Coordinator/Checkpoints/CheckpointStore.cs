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

    public CheckpointStore(string path, ILogger log)
    {
        _log = log;
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString();
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS calls (name TEXT PRIMARY KEY, function TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS results (
                call TEXT NOT NULL, item INTEGER NOT NULL, argument_hash INTEGER NOT NULL, result BLOB NOT NULL,
                PRIMARY KEY (call, item));
            """);
        _writing = Task.Factory.StartNew(WriteLoop, TaskCreationOptions.LongRunning).Unwrap();
    }

    /// <summary>The checkpoint file's full path.</summary>
    public string Path { get; }

    /// <summary>
    /// Starts (or resumes) the call named <paramref name="name"/>, made with <paramref name="function"/>; refuses a
    /// name that another function's results were stored under.
    /// </summary>
    public CheckpointedCall BeginCall(string name, string function)
    {
        lock (_gate) // one connection, two threads (this caller's and the writer's): one at a time
        {
            using var command = _writer.CreateCommand();
            command.CommandText =
                "INSERT INTO calls (name, function) VALUES ($name, $function) ON CONFLICT (name) DO NOTHING; SELECT " +
                "function FROM calls WHERE name = $name";
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$function", function);
            var stored = (string)command.ExecuteScalar()!;
            if (stored != function)
                throw new CheckpointMismatchException(
                    $"the checkpoint {Path} holds the results of call \"{name}\" made with {stored}; this call runs " +
                        $"{function}. " +
                    "Give this call a new name (pool.With(new CallOptions { Name = \"...\" })) or delete the " +
                        "checkpoint file.");
        }
        return new CheckpointedCall(this, name);
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
                // The results still reach the caller; only the resume is lost. Say so once, loudly, and stop writing.
                _log.LogError(
                    "the checkpoint {Path} cannot be written ({Reason}); this run's results will not be resumable: " +
                    "free space or fix the file's permissions and run again", Path, e.Message);
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

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
