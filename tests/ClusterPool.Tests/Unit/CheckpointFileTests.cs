using System.Security.Cryptography;
using ClusterPool.Checkpoints;
using ClusterPool.Tests.EndToEnd;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// A checkpoint file that cannot serve is refused with a <see cref="CheckpointException"/> naming the file, the problem
/// and what to do: before, each came out as SQLite's own words (a bare SqliteException), or not at all.
/// </summary>
public sealed class CheckpointFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("clusterpool-checkpoint-file-").FullName;
    private string Checkpoint => Path.Combine(_folder, "run.ckpt.db");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private CheckpointException Refused(string path)
    {
        var error = Record.Exception(() => new CheckpointStore(path, NullLogger.Instance).Dispose());
        var refused = Assert.IsType<CheckpointException>(error);
        Assert.Equal(Path.GetFullPath(path), refused.Path);
        Assert.Contains(Path.GetFullPath(path), refused.Message);
        return refused;
    }

    [Fact]
    public void ATextFileIsRefusedAsNotADatabase()
    {
        File.WriteAllText(Checkpoint, "ticker,score\nACME,3\n");
        Assert.Contains("is not a SQLite database", Refused(Checkpoint).Message);
        Assert.Equal("ticker,score\nACME,3\n", File.ReadAllText(Checkpoint));
    }

    [Fact]
    public void ATruncatedCheckpointIsRefusedAsDamaged()
    {
        CheckpointFiles.WriteSquares(Checkpoint, "Square", "T.Square", 3000);
        using (var file = new FileStream(Checkpoint, FileMode.Open)) file.SetLength(file.Length / 2 / 4096 * 4096);
        var message = Refused(Checkpoint).Message;
        Assert.Contains("is damaged", message);
        Assert.Contains("delete it", message);
    }

    [Fact]
    public void AMissingFolderAndAFolderAreEachSaidForWhatTheyAre()
    {
        var missing = Path.Combine(_folder, "no-such-folder", "run.ckpt.db");
        Assert.Contains($"its folder {Path.GetDirectoryName(missing)} does not exist", Refused(missing).Message);
        Assert.Contains("is a folder", Refused(_folder).Message);
    }

    [Fact]
    public void AnotherProgramsDatabaseIsRefusedAndLeftAsItWas()
    {
        CheckpointFiles.Execute(Checkpoint,
            "CREATE TABLE results (id INTEGER PRIMARY KEY, ticker TEXT, score REAL); " +
            "INSERT INTO results (ticker, score) VALUES ('ACME', 3.5)");
        var before = SHA256.HashData(File.ReadAllBytes(Checkpoint));

        var message = Refused(Checkpoint).Message;
        Assert.Contains("not a ClusterPool checkpoint", message);
        Assert.Contains("results (id, ticker, score)", message);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(Checkpoint))); // no calls table, no WAL switch
    }

    [Fact]
    public void ACheckpointOfThisVersionIsOpenedAgainAndAnEmptyFileIsMadeOne()
    {
        CheckpointFiles.WriteSquares(Checkpoint, "Square", "T.Square", 10);
        new CheckpointStore(Checkpoint, NullLogger.Instance).Dispose();
        File.WriteAllBytes(Checkpoint + ".empty", []);
        new CheckpointStore(Checkpoint + ".empty", NullLogger.Instance).Dispose();
        Assert.Equal("ok", CheckpointFiles.IntegrityCheck(Checkpoint + ".empty"));
    }

    [Fact]
    public void ACheckpointLockedByAnotherProcessIsRefusedAtTheStartSayingSo()
    {
        CheckpointFiles.WriteSquares(Checkpoint, "Square", "T.Square", 10);
        using var other = new SqliteConnection($"Data Source={Checkpoint};Pooling=False");
        other.Open();
        using var exclusive = other.CreateCommand();
        exclusive.CommandText = "BEGIN EXCLUSIVE";
        exclusive.ExecuteNonQuery();

        var message = Refused(Checkpoint).Message;
        Assert.Contains("is locked by another process", message);
        Assert.DoesNotContain("free space", message);
    }

    [Fact]
    public void ALockHeldMidRunSwitchesCheckpointingOffWithAdviceForALock()
    {
        using var recording = new RecordingLogger();
        using var logging = recording.Factory();
        using (var store = new CheckpointStore(Checkpoint, logging.CreateLogger("test"), lockWait: TimeSpan.FromSeconds(1)))
        {
            var call = store.BeginCall("Square", "T.Square", namedByCaller: true);
            using var other = new SqliteConnection($"Data Source={Checkpoint};Pooling=False");
            other.Open();
            using var exclusive = other.CreateCommand();
            exclusive.CommandText = "BEGIN EXCLUSIVE";
            exclusive.ExecuteNonQuery();
            call.Remember(0, 1);
            call.Store(0, new[] { 0 }, 0, 1);
            Wait.For(() => recording.Records.Any(r => r.Level == LogLevel.Error), TimeSpan.FromSeconds(15),
                "the writer to give up on the lock");
        }
        var error = recording.Records.Single(r => r.Level == LogLevel.Error).Message;
        Assert.Contains(Path.GetFullPath(Checkpoint), error);
        Assert.Contains("is locked by another process", error);
        Assert.DoesNotContain("free space", error);
    }

    [Fact]
    public void AReadOnlyFileIsToldToBeMadeWritable()
    {
        // Root (the test machine) writes read-only files, so SQLite's error is made here, as SQLite makes it.
        var readOnly = new SqliteException("SQLite Error 8: 'attempt to write a readonly database'.", 8);
        var error = CheckpointProblem.Error(Checkpoint, readOnly);
        Assert.Equal(
            $"the checkpoint {Checkpoint} cannot be written (attempt to write a readonly database): make the file and " +
            "its folder writable (SQLite writes run.ckpt.db-wal and -shm beside it) or point PoolOptions.Checkpoint " +
            "at another file", error.Message);
        Assert.Same(readOnly, error.InnerException);
    }
}
