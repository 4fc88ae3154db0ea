using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// What becomes of an <c>IMap</c> whose results are not all taken, as in Python: a loop left early leaves the call
/// running and the next loop goes on; <c>Join</c> returns once the calls have run, their results kept for the iterator.
/// Disposing the iterator stops its call. Each test owns its pool.
/// </summary>
public class IteratorLifetimeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void JoinLetsIteratorsNotReadToTheEndFinishAndKeepsTheirResults()
    {
        var pool = Pool.Start(new PoolOptions { Processes = 2 });
        try
        {
            Assert.True(pool.WaitUntilReady(Patience));
            var pids = pool.LocalWorkerProcessIds.ToList();
            // More items than IMap reads ahead of what was taken (max-results-ahead = 10,000): nothing taken at all.
            var unread = pool.IMap(TestFunctions.Square, Enumerable.Range(0, 30_000), chunksize: 100);
            var unordered = pool.IMapUnordered(TestFunctions.Square, Enumerable.Range(0, 50));
            using (var disposed = pool.IMap(TestFunctions.Sleep, [0.1, 0.1, 0.1, 0.1])) disposed.Next();
            foreach (var _ in pool.IMap(TestFunctions.Square, Enumerable.Range(0, 100))) break;

            pool.Close();
            var join = Task.Run(pool.Join);
            Assert.True(join.Wait(Patience), "Join did not return");

            Processes.AssertAllExited(pids);
            Assert.Equal(Enumerable.Range(0, 30_000).Select(x => x * x), unread); // taken after Join, as in Python
            Assert.Equal(Enumerable.Range(0, 50).Select(x => x * x), unordered.Order());
            var late = Assert.Throws<ObjectDisposedException>(() => pool.Apply(TestFunctions.Square, 2));
            Assert.Contains("closed", late.Message);
        }
        finally { pool.Terminate(); }
    }

    [Theory]
    [InlineData("foreach")]
    [InlineData("Take")]
    [InlineData("await foreach")]
    public async Task ALoopLeftEarlyLeavesTheCallRunningAndTheNextLoopGoesOn(string loop)
    {
        await using var pool = Pool.Start(new PoolOptions { Processes = 2 });
        using var iterator = pool.IMap(TestFunctions.Square, Enumerable.Range(0, 20));
        var first = new List<int>();
        switch (loop)
        {
            case "foreach":
                foreach (var square in iterator)
                {
                    first.Add(square);
                    if (first.Count == 5) break;
                }
                break;
            case "Take":
                first.AddRange(iterator.Take(5));
                break;
            default:
                await foreach (var square in iterator)
                {
                    first.Add(square);
                    if (first.Count == 5) break;
                }
                break;
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(x => x * x), first);
        Assert.Equal(Enumerable.Range(5, 15).Select(x => x * x), iterator.ToList()); // as Python's iterator goes on
    }

    [Fact]
    public void DisposingTheIteratorCancelsTheRestOfTheCall()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 2 });
        Assert.True(pool.WaitUntilReady(Patience));
        var iterator = pool.IMap(TestFunctions.Sleep, Enumerable.Repeat(0.3, 20));
        using (iterator) iterator.Next();

        // Uncancelled, the other 19 items would keep both workers busy for about 3 s.
        Wait.For(() => pool.Statistics.RunningCalls == 0, TimeSpan.FromSeconds(1.5), "the call to end");
        Assert.InRange(pool.Statistics.ItemsDone, 1, 8);
        // Read on, it says so (not "no more results", which would look like the end of the call).
        Assert.Contains("disposed", Assert.Throws<OperationCanceledException>(() => iterator.Next()).Message);
        Assert.Throws<OperationCanceledException>(() => iterator.ToList());
    }

    /// <summary>
    /// An IMap whose results are large and not taken yet reads its input only until the results waiting hold
    /// clusterpool.input.max-result-bytes-ahead (here 4 MiB): counted in results alone (10,000), results of 2 MB each
    /// grew a user's program by 100 MB a second.
    /// </summary>
    [Fact]
    public void AnIMapOfLargeResultsNotTakenStopsReadingAtItsByteLimit()
    {
        using var pool = Pool.Start(new PoolOptions
        {
            Processes = 2, Config = "clusterpool.input.max-result-bytes-ahead = 4MiB",
        });
        Assert.True(pool.WaitUntilReady(Patience));
        const int Items = 600, Size = 256 * 1024; // 150 MiB in all
        using var iterator = pool.IMap(TestFunctions.Bytes, Enumerable.Repeat(Size, Items));
        Thread.Sleep(3000); // without the limit, every result arrives meanwhile
        // 16 results hold 4 MiB; what was fed before the gate saw them (a window of chunks) arrives too.
        var arrived = iterator.Progress.Done;
        Assert.True(arrived < 150, $"{arrived} of {Items} results of 256 KiB arrived while none was taken");
        Assert.Equal(Items, iterator.Count(bytes => bytes.Length == Size)); // and taking them lets the call go on
    }

    /// <summary>
    /// Python's <c>next()</c> may be called from several threads at once. Two readers woken for one result: the one that
    /// lost the race took the iterator for ended, for every reader - 61 of 100,000 results, or a <c>foreach</c> that
    /// ended early without a word.
    /// </summary>
    [Fact]
    public void SeveralThreadsReadingOneIteratorGetEveryResultOnce()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 2 });
        const int Items = 20_000; // squares within an int
        var ordered = pool.IMap(TestFunctions.Square, Enumerable.Range(0, Items), chunksize: 10);
        var taken = new System.Collections.Concurrent.ConcurrentBag<int>();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (true)
            {
                try { taken.Add(ordered.Next(Patience)); }
                catch (InvalidOperationException) { return; } // no more results
            }
        })).ToArray();
        Assert.True(Task.WaitAll(readers, Patience), "the readers did not finish");
        Assert.Equal(Enumerable.Range(0, Items).Select(x => x * x), taken.Order());

        // A foreach and Next() on one IMapUnordered: the loop ends with the call, not before.
        var unordered = pool.IMapUnordered(TestFunctions.Square, Enumerable.Range(0, Items), chunksize: 10);
        var byNext = new List<int>();
        var nexting = Task.Run(() =>
        {
            while (true)
            {
                try { byNext.Add(unordered.Next(Patience)); }
                catch (InvalidOperationException) { return; }
            }
        });
        var byLoop = unordered.ToList();
        Assert.True(nexting.Wait(Patience), "Next() did not see the end");
        Assert.Equal(Enumerable.Range(0, Items).Select(x => x * x), byLoop.Concat(byNext).Order());
    }
}
