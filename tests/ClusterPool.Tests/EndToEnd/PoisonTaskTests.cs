using System.Diagnostics;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>A task that kills its worker every time: it is found, named, and costs no other item.</summary>
public class PoisonTaskTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void APoisonItemFailsAfterMaxRetriesNamingItselfAndEveryOtherItemCompletes()
    {
        var log = Directory.CreateTempSubdirectory("clusterpool-poison-").FullName;
        try
        {
            using var pool = Pool.Start(new PoolOptions { Processes = 2 });
            Assert.True(pool.WaitUntilReady(Patience));
            var clock = Stopwatch.StartNew();
            // Chunks of 4: the poison item shares its chunk with three others, which must still complete.
            var error = Assert.Throws<WorkerLostException>(() =>
                pool.StarMap(FaultyFunctions.DieOn, Enumerable.Range(0, 20).Select(x => (x, 5, log)), chunksize: 4));

            Assert.Equal(5, error.ItemIndex);
            Assert.Equal($"(5, 5, \"{log}\")", error.Arguments);
            Assert.Equal(4, error.WorkersLost); // one run and MaxRetries (3) retries, each on a worker that died
            Assert.Contains("item 5 of", error.Message);
            Assert.Contains("took down 4 workers", error.Message);
            // and how each went down (it said "worker process 9430 exited", leaving the cause to guess)
            Assert.Contains("exited with code 137: killed (SIGKILL", error.Message);
            // Every other item ran (its chunk-mates before the poison item may have run twice: their results died with
            // the worker before they were sent; a task runs at least once, its result reaches the caller exactly once).
            var done = TalliedFunctions.Read(log).Distinct().Order().ToList();
            Assert.Equal(Enumerable.Range(0, 20).Where(x => x != 5), done);
            Assert.Equal(4, pool.Statistics.WorkersLost);
            Console.WriteLine($"poison item failed after {clock.Elapsed.TotalSeconds:0.0} s");

            // The pool is whole again: the replacements run the next call.
            Assert.True(pool.WaitUntilReady(Patience, slots: 2));
            Assert.Equal([1, 4, 9], pool.Map(TestFunctions.Square, [1, 2, 3]));
        }
        finally { Directory.Delete(log, recursive: true); }
    }

    [Fact]
    public void IMapYieldsTheResultsBeforeAPoisonItemThenRaisesAndMaxRetriesIsTheUsers()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 2, MaxRetries = 1 });
        var seen = new List<int>();
        var error = Assert.Throws<WorkerLostException>(() =>
        {
            foreach (var x in pool.IMap(FaultyFunctions.DieOnFive, Enumerable.Range(0, 12), chunksize: 3)) seen.Add(x);
        });
        Assert.Equal([0, 1, 2, 3, 4], seen);
        Assert.Equal((5L, "(5)", 2), (error.ItemIndex, error.Arguments, error.WorkersLost));

        // Each ApplyAsync is its own call: only the poison one fails.
        var calls = Enumerable.Range(3, 5).Select(x => pool.ApplyAsync(FaultyFunctions.DieOnFive, x)).ToList();
        for (var i = 0; i < calls.Count; i++)
        {
            var x = i + 3;
            if (x == 5) Assert.Throws<WorkerLostException>(() => calls[i].Get(Patience));
            else Assert.Equal(x, calls[i].Get(Patience));
        }
    }
}
