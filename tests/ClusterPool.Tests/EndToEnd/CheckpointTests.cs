using Microsoft.Data.Sqlite;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>PoolOptions.Checkpoint: a second run returns stored results and computes only what is missing or changed.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("clusterpool-checkpoint-").FullName;
    private string Checkpoint => Path.Combine(_folder, "run.ckpt.db");
    private string Log => Directory.CreateDirectory(Path.Combine(_folder, "ran")).FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private List<int> Ran() => TalliedFunctions.Read(Log);

    private Pool Start() => Pool.Start(new PoolOptions { Processes = 2, Checkpoint = Checkpoint });

    [Fact]
    public void ASecondRunReturnsStoredResultsAndComputesOnlyChangedItems()
    {
        var items = Enumerable.Range(0, 40).Select(x => (x, Log)).ToList();
        using (var pool = Start()) Assert.Equal(items.Select(i => i.x * i.x), pool.Map(TalliedFunctions.Square, items));
        Assert.Equal(Enumerable.Range(0, 40), Ran().Order());

        using (var pool = Start())
        {
            Assert.Equal(items.Select(i => i.x * i.x), pool.Map(TalliedFunctions.Square, items));
            Assert.Empty(Ran()); // every result came from the checkpoint
        }

        // The program run again with two items' arguments changed: only those run.
        using (var pool = Start())
        {
            var changed = items.Select(i => i.x is 3 or 17 ? (i.x + 100, Log) : i).ToList();
            Assert.Equal(changed.Select(i => i.Item1 * i.Item1), pool.Map(TalliedFunctions.Square, changed));
            Assert.Equal([103, 117], Ran().Order());
        }

        using var check = new SqliteConnection($"Data Source={Checkpoint}");
        check.Open();
        using var command = check.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", command.ExecuteScalar());
    }

    /// <summary>
    /// Results that hold matrices, stored by a version before protocol 4 (Hyperion's own form, which this test
    /// writes in their place): a run resumed after the upgrade takes them as stored. From protocol 3 to 4 such a
    /// result could not be read back.
    /// </summary>
    [Fact]
    public void MatricesStoredByAnEarlierVersionAreReturnedAsStored()
    {
        var items = Enumerable.Range(0, 6).Select(x => (x, Log)).ToList();
        var expected = Show(items.Select(TalliedFunctions.Matrices));
        Ran(); // (the expected values' own runs)
        using (var pool = Start()) Assert.Equal(expected, Show(pool.Map(TalliedFunctions.Matrices, items)));
        Assert.Equal(6, Ran().Count);
        using (var earlier = new SqliteConnection($"Data Source={Checkpoint};Pooling=False"))
        {
            earlier.Open();
            var rows = new List<(long Item, byte[] Result)>();
            using (var read = earlier.CreateCommand())
            {
                read.CommandText = "SELECT item, result FROM results";
                using var reader = read.ExecuteReader();
                while (reader.Read()) rows.Add((reader.GetInt64(0), (byte[])reader[1]));
            }
            foreach (var (item, result) in rows)
            {
                using var write = earlier.CreateCommand();
                write.CommandText = "UPDATE results SET result = $result WHERE item = $item";
                write.Parameters.AddWithValue("$result", Contracts.Serialization.PayloadSerializer.ArgumentBytes(
                    Contracts.Serialization.PayloadSerializer.Deserialize<object>(result, "a stored result")));
                write.Parameters.AddWithValue("$item", item);
                Assert.Equal(1, write.ExecuteNonQuery());
            }
        }

        using (var pool = Start()) Assert.Equal(expected, Show(pool.Map(TalliedFunctions.Matrices, items)));
        Assert.Empty(Ran()); // every result came from the checkpoint

        static string Show(IEnumerable<(double[,] Matrix, string[,] Grid)> results) => string.Join("; ", results.Select(
            r => $"{r.Matrix.GetLength(0)}x{r.Matrix.GetLength(1)} {string.Join(",", r.Matrix.Cast<double>())} {r.Grid[0, 0]}"));
    }

    [Fact]
    public void AnIMapStoppedHalfWayResumesWhereItStoppedAndEveryCallKindIsCheckpointed()
    {
        var items = Enumerable.Range(0, 30).Select(x => (x, Log)).ToList();
        using (var pool = Start())
        {
            using var iterator = pool.IMap(TalliedFunctions.SquareSlowly, items);
            Assert.Equal(Enumerable.Range(0, 10).Select(x => x * x), iterator.Take(10));
        } // disposed half-way, like a run interrupted
        var first = Ran();
        Assert.InRange(first.Count, 10, 29);

        using (var pool = Start())
        {
            Assert.Equal(items.Select(i => i.x * i.x), pool.IMap(TalliedFunctions.SquareSlowly, items).ToList());
            var second = Ran();
            Assert.Equal(30, first.Union(second).Count()); // between the two runs every item ran
            Assert.True(second.Count <= 30 - 10, $"the resumed run computed {second.Count} items; 10 were done");

            // The same function's 2nd and 3rd calls in a run are named Square#2 and Square#3: their first runs.
            Assert.Equal(items.Select(i => i.x * i.x).Order(), pool.IMapUnordered(TalliedFunctions.SquareSlowly, items).Order());
            Assert.Equal(items.Select(i => i.x * i.x), pool.MapAsync(TalliedFunctions.SquareSlowly, items).Get());
            Assert.Equal(60, Ran().Count);
        }

        using (var pool = Start())
        {
            Assert.Equal(items.Select(i => i.x * i.x), pool.IMap(TalliedFunctions.SquareSlowly, items).ToList());
            Assert.Equal(items.Select(i => i.x * i.x).Order(), pool.IMapUnordered(TalliedFunctions.SquareSlowly, items).Order());
            Assert.Equal(items.Select(i => i.x * i.x), pool.MapAsync(TalliedFunctions.SquareSlowly, items).Get());
            Assert.Empty(Ran()); // the same program run a third time: all three calls come from the checkpoint
        }
    }

    [Fact]
    public void ACallNameUsedByAnotherFunctionIsRefusedUntilGivenANewName()
    {
        var items = Enumerable.Range(0, 5).Select(x => (x, Log)).ToList();
        using (var pool = Start()) pool.With(new CallOptions { Name = "scores" }).Map(TalliedFunctions.Square, items);

        using var again = Start();
        var starred = Enumerable.Range(0, 5).Select(x => (x, 1, Log));
        var error = Assert.Throws<CheckpointMismatchException>(() => again.With(new CallOptions { Name = "scores" }).StarMap(TalliedFunctions.Add, starred));
        Assert.Contains("\"scores\"", error.Message);
        Assert.Contains(nameof(TalliedFunctions.Square), error.Message);
        Assert.Equal([1, 2, 3, 4, 5], again.With(new CallOptions { Name = "sums" }).StarMap(TalliedFunctions.Add, starred));
    }

    /// <summary>
    /// A user's trial: version 1 of a program stored a lambda's results; version 2 added a lambda above it, which took
    /// over its compiler-made name (<c>&lt;Main&gt;b__0_1</c>), and got the other lambda's results back, silently. A
    /// lambda is known by what its body does too: another body's results are dropped and its items run.
    /// </summary>
    [Fact]
    public void ALambdaUnderAnotherLambdasCompilerNameGetsItsOwnResultsNotTheStoredOnes()
    {
        Func<int, double> doubled = static x => x * 2.0, hundredfold = static x => x * 100.0;
        var ids = Enumerable.Range(0, 6).ToList();
        // Version 1's results: doubled's, which had the name the compiler gives hundredfold in version 2.
        var name = Calls.FunctionReference.From(hundredfold).DisplayName;
        var version1 = Calls.FunctionReference.CheckpointIdentity(Calls.FunctionReference.From(doubled))
            .Replace(Calls.FunctionReference.From(doubled).DisplayName, name);
        using (var store = new Checkpoints.CheckpointStore(Checkpoint,
                   Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance))
        {
            var stored = store.BeginCall(name, version1, namedByCaller: false);
            foreach (var id in ids) stored.Remember(id, Checkpoints.CheckpointedCall.HashOf(id));
            stored.Store(0, ids.Select(id => id * 2.0).ToArray(), 0, ids.Count);
            store.Flush(TimeSpan.FromSeconds(10));
        }
        using (var pool = Start()) Assert.Equal(ids.Select(id => id * 100.0), pool.Map(hundredfold, ids));
        using (var pool = Start()) Assert.Equal(ids.Select(id => id * 100.0), pool.Map(hundredfold, ids)); // now stored
    }

    /// <summary>
    /// A user's trial: a checkpoint of 3,000 items whose middle pages were overwritten (PRAGMA integrity_check fails).
    /// The run again got the items before the damage back, then nothing, for ever: the reader of the stored results
    /// died unobserved. Now the call fails, naming the file and what to do, after every earlier result.
    /// </summary>
    [Fact]
    public void ACheckpointDamagedPartWayFailsTheCallNamingTheFileAfterEveryEarlierResult()
    {
        var items = Enumerable.Range(0, 3000).ToList();
        var squares = new CallOptions { Name = "squares" };
        using (var pool = Start()) Assert.Equal(items.Select(x => x * x), pool.With(squares).Map(TestFunctions.Square, items));
        ClusterPool.Tests.Unit.CheckpointFiles.DamageMiddlePages(Checkpoint);
        Assert.NotEqual("ok", ClusterPool.Tests.Unit.CheckpointFiles.IntegrityCheck(Checkpoint));

        using var again = Start();
        var seen = new List<int>();
        var run = Task.Run(() => Record.Exception(() => { foreach (var r in again.With(squares).IMap(TestFunctions.Square, items)) seen.Add(r); }));
        Assert.True(run.Wait(TimeSpan.FromSeconds(30)), $"the call hung after {seen.Count} results");
        var error = Assert.IsType<CheckpointException>(run.Result);
        Assert.Equal(Checkpoint, error.Path);
        Assert.Contains($"the checkpoint {Checkpoint} is damaged", error.Message);
        Assert.InRange(seen.Count, 1, 2999);
        Assert.Equal(items.Take(seen.Count).Select(x => x * x), seen); // every result before the damage, in order

        // A Map fails the same way, and the pool goes on.
        Assert.Throws<CheckpointException>(() => again.With(squares).Map(TestFunctions.Square, items));
        Assert.Equal(49, again.Apply(TestFunctions.Square, 7));
    }

    /// <summary>
    /// A user's trial: PoolOptions.Checkpoint pointed at the user's own database, which has a results table of its own.
    /// The pool added its calls table to it, then a Map hung for 10 minutes. Now Pool.Start refuses it, untouched.
    /// </summary>
    [Fact]
    public void AnotherProgramsDatabaseIsRefusedAtPoolStartAndLeftUntouched()
    {
        ClusterPool.Tests.Unit.CheckpointFiles.Execute(Checkpoint,
            "CREATE TABLE results (id INTEGER PRIMARY KEY, ticker TEXT, score REAL); INSERT INTO results (ticker, score) VALUES ('ACME', 3.5)");
        var before = File.ReadAllBytes(Checkpoint);

        var error = Record.Exception(() =>
        {
            using var pool = Start();
            var call = Task.Run(() => pool.Map(TestFunctions.Square, [1, 2, 3]));
            Assert.True(call.Wait(TimeSpan.FromSeconds(20)), "Pool.Start took the database, and the call hung");
        });
        var refused = Assert.IsType<CheckpointException>(error);
        Assert.Contains($"the checkpoint {Checkpoint} is a database, but not a ClusterPool checkpoint", refused.Message);
        Assert.Equal(before, File.ReadAllBytes(Checkpoint));
    }

    /// <summary>
    /// Issue 13, point 4, as a user meets it: a program's Map of 2,000 items of 5–50 ms on 4 workers with a checkpoint,
    /// its process killed with kill -9, then run again. Each slot's chunk is 125 items (3.4 s); 3 s in, each slot has
    /// about 110 finished items. Stored only when a chunk ends, all of them would run again (about 440); sent every
    /// second and stored as they arrive, at most about a second per slot does (4 × 36 items of 27.5 ms, plus the running).
    /// </summary>
    [Fact]
    public void ACoordinatorKilledMidChunkCostsAboutASecondOfFinishedWorkPerSlot()
    {
        var outcome = ClusterPool.Bench.CrashSuite.CrashAndRerun(TimeSpan.FromSeconds(3));
        Assert.Equal(0, outcome.RerunExitCode); // every result, in its place
        Assert.True(outcome.Held > 0, "the checkpoint held nothing after the kill");
        Assert.True(outcome.Recomputed <= 150, $"{outcome.Recomputed} items that had finished before the kill were computed again (held: {outcome.Held})");
    }
}
