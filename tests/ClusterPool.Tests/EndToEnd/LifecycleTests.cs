using System.Diagnostics;
using ClusterPool.Contracts;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>Starting, recycling and stopping pools: each test owns its pool and checks no worker process is left.</summary>
public class LifecycleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void ProcessesBelowOneIsRefusedNamingTheOption(int processes)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pool.Start(new PoolOptions { Processes = processes }));
        Assert.Contains("Processes must be at least 1", error.Message);
    }

    /// <summary>Python finds out in each worker, which then dies and is replaced, over and over; here Start says
    /// it before anything starts.</summary>
    [Theory]
    [InlineData(new object[] { 42 }, "argument 0 of TestFunctions.Initialize (marker) must be a String, not Int32")]
    [InlineData(new object[] { }, "TestFunctions.Initialize takes 1 argument, not 0")]
    [InlineData(new object[] { "a", "b" }, "TestFunctions.Initialize takes 1 argument, not 2")]
    public void InitArgsThatDoNotFitTheInitializerAreRefusedAtStart(object[] initArgs, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => Pool.Start(new PoolOptions
        {
            Initializer = new Action<string>(TestFunctions.Initialize), InitArgs = initArgs,
        }));
        Assert.Equal("InitArgs", error.ParamName);
        Assert.StartsWith($"InitArgs do not fit the Initializer: {problem}", error.Message);
    }

    [Fact]
    public void DisposeStopsEveryWorkerProcessAndLaterUseIsObjectDisposed()
    {
        var pool = Pool.Start(new PoolOptions { Processes = 2 });
        Assert.True(pool.WaitUntilReady(Patience));
        var pids = pool.LocalWorkerProcessIds.ToList();
        Assert.Equal(2, pids.Count);
        Assert.Equal(4, pool.Apply(TestFunctions.Square, 2));
        pool.Dispose();
        Processes.AssertAllExited(pids);
        Assert.Throws<ObjectDisposedException>(() => pool.Apply(TestFunctions.Square, 2));
        Assert.Throws<ObjectDisposedException>(() => pool.Map(TestFunctions.Square, [1]));
        Assert.Throws<ObjectDisposedException>(() => pool.IMap(TestFunctions.Square, [1]));
        pool.Dispose(); // twice is fine
        pool.Close(); // after Terminate, as Python's close(): nothing (clean-up code may do this)
    }

    /// <summary>
    /// A pool stops its workers by killing them, and a killed .NET process leaves the files its runtime keeps in the
    /// temp folder for diagnostic tools (three per process): every pool left them in /tmp for ever.
    /// </summary>
    [Fact]
    public void AStoppedPoolLeavesNoFileOfItsWorkersInTheTempFolder()
    {
        List<string> files;
        List<int> pids;
        using (var pool = Pool.Start(new PoolOptions { Processes = 2 }))
        {
            Assert.True(pool.WaitUntilReady(Patience));
            pids = pool.LocalWorkerProcessIds.ToList();
            // Named by process id and start time (a process long gone may have had the same id, and left its own).
            files = pids.SelectMany(pid => RuntimeLeftovers.Of(pid).Paths).ToList();
            Assert.Equal(3 * pids.Count, files.Count(File.Exists)); // what the runtime makes: the test looks for the right names
        }
        Processes.AssertAllExited(pids);
        Wait.For(() => !files.Any(File.Exists), TimeSpan.FromSeconds(10),
            $"the workers' runtime files to be removed: {string.Join(", ", files.Where(File.Exists))}");
    }

    [Fact]
    public void InitializerRunsOnceInEachWorkerBeforeItsFirstTask()
    {
        using var pool = Pool.Start(new PoolOptions
        {
            Processes = 2, Initializer = new Action<string>(TestFunctions.Initialize), InitArgs = ["opened ledger.db"],
        });
        var seen = pool.Map(TestFunctions.ReadMarker, Enumerable.Range(0, 40), chunksize: 1);
        Assert.All(seen, s => Assert.Equal("opened ledger.db", s.Marker));
        Assert.All(seen, s => Assert.Equal(1, s.Initializations));
    }

    /// <summary>As Python's: the initializer runs as each worker process starts, also in workers that never get a task.</summary>
    [Fact]
    public void InitializerRunsAtWorkerStartEvenWithoutATask()
    {
        var folder = Directory.CreateTempSubdirectory("clusterpool-init-").FullName;
        try
        {
            using var pool = Pool.Start(new PoolOptions { Processes = 3, Initializer = new Action<string>(TestFunctions.MarkStarted), InitArgs = [folder] });
            Assert.Equal(4, pool.Apply(TestFunctions.Square, 2)); // one task: two of the three workers get none
            Wait.For(() => Directory.GetFiles(folder).Length, ran => ran == 3, TimeSpan.FromSeconds(20),
                "the initializer to run in 3 worker processes");
            Assert.Equal(pool.LocalWorkerProcessIds.Order().Select(pid => $"{pid}"), Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void MaxTasksPerChildReplacesTheWorkerProcessWithoutLosingATask()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 1, MaxTasksPerChild = 2 });
        var pids = pool.Map(TestFunctions.Pid, Enumerable.Range(0, 6), chunksize: 1);
        Assert.Equal(6, pids.Count);
        Assert.True(pids.Distinct().Count() >= 3, $"expected at least 3 worker processes, saw {string.Join(", ", pids)}");
        Assert.All(pids.GroupBy(p => p), g => Assert.True(g.Count() <= 2));
    }

    [Fact]
    public void TerminateDuringALongMapAsyncReturnsQuicklyAndFailsTheCall()
    {
        var pool = Pool.Start(new PoolOptions { Processes = 2 });
        Assert.True(pool.WaitUntilReady(Patience));
        var pids = pool.LocalWorkerProcessIds.ToList();
        var result = pool.MapAsync(TestFunctions.Sleep, [30.0, 30.0, 30.0, 30.0], chunksize: 1);
        Thread.Sleep(500);
        var clock = Stopwatch.StartNew();
        pool.Terminate();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"Terminate took {clock.Elapsed}");
        Assert.Throws<PoolTerminatedException>(() => result.Get(TimeSpan.FromSeconds(5)));
        Processes.AssertAllExited(pids);
    }

    /// <summary>As Python's KeyboardInterrupt comes out of join(): a program blocked in Join must not go on (and exit
    /// 0) as if its calls had finished. The signal's handler is called directly: a test cannot signal its own
    /// host.</summary>
    [Fact]
    public void CtrlCWhileJoinWaitsEndsJoinWithPoolInterrupted()
    {
        var pool = Pool.Start(new PoolOptions
        {
            Processes = 2, HandleInterrupts = false, ShutdownGrace = TimeSpan.FromMilliseconds(200),
        });
        try
        {
            Assert.True(pool.WaitUntilReady(Patience));
            var pids = pool.LocalWorkerProcessIds.ToList();
            var result = pool.MapAsync(TestFunctions.Sleep, [30.0, 30.0, 30.0, 30.0], chunksize: 1);
            pool.Close();
            var join = Task.Run(pool.Join);
            Thread.Sleep(300);
            pool.OnInterrupt(1);

            Assert.Same(join, Task.WhenAny(join, Task.Delay(TimeSpan.FromSeconds(20))).Result); // Join returned
            Assert.IsType<PoolInterruptedException>(join.Exception?.InnerException);
            Assert.Throws<PoolInterruptedException>(() => result.Get(TimeSpan.FromSeconds(5)));
            Processes.AssertAllExited(pids);
            pool.Join(); // after the interrupt it had already seen: returns
        }
        finally { pool.Terminate(); }
    }

    /// <summary>
    /// Tasks that ignore their token and finish within ShutdownGrace count: their results are kept. The workers
    /// recycled themselves 3 s after the interrupt (the stuck-task grace, meant for a cancelled call), whatever the
    /// grace.
    /// </summary>
    [Fact]
    public void CtrlCKeepsWhatFinishesWithinTheShutdownGraceFromTasksThatIgnoreTheirToken()
    {
        var pool = Pool.Start(new PoolOptions
        {
            Processes = 2, HandleInterrupts = false, ShutdownGrace = TimeSpan.FromSeconds(15),
        });
        try
        {
            Assert.True(pool.WaitUntilReady(Patience));
            var marks = Directory.CreateTempSubdirectory("clusterpool-grace-").FullName;
            // Two run (5 s each, no token); the third waits for a slot, and is dropped at the interrupt.
            var result = pool.MapAsync(TestFunctions.MarkedSleep, Enumerable.Range(0, 3).Select(i => (marks, i, 5000)),
                chunksize: 1);
            Wait.For(() => Directory.GetFiles(marks).Length == 2, Patience, "the first two tasks to start");
            Directory.Delete(marks, recursive: true);
            var clock = Stopwatch.StartNew();
            pool.OnInterrupt(1);
            var error = Assert.Throws<PoolInterruptedException>(() => result.Get(TimeSpan.FromSeconds(20)));
            Assert.True(error.Message.Contains("2 of its items had finished"), error.Message);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the interrupt took {clock.Elapsed}: no early end");
        }
        finally { pool.Terminate(); }
    }

    [Fact]
    public void CloseRefusesNewCallsAndJoinWaitsForTheRunningOnes()
    {
        var pool = Pool.Start(new PoolOptions { Processes = 2 });
        var pids = new List<int>();
        try
        {
            Assert.Throws<InvalidOperationException>(pool.Join);
            var result = pool.MapAsync(TestFunctions.Sleep, [0.5, 0.5], chunksize: 1);
            pool.Close();
            Assert.Throws<InvalidOperationException>(() => pool.Apply(TestFunctions.Square, 1));
            pids.AddRange(pool.LocalWorkerProcessIds);
            pool.Join();
            Assert.True(result.Ready);
            Assert.Equal(2, result.Get().Count);
        }
        finally { pool.Dispose(); }
        Processes.AssertAllExited(pids);
    }

    [Fact]
    public void AKilledWorkerIsReplacedAndItsWorkRunsElsewhere()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 2 });
        Assert.True(pool.WaitUntilReady(Patience));
        var victim = pool.LocalWorkerProcessIds.First();
        var result = pool.MapAsync(TestFunctions.Sleep, Enumerable.Repeat(0.3, 8), chunksize: 1);
        Thread.Sleep(400);
        Process.GetProcessById(victim).Kill();
        var results = result.Get(Patience);
        Assert.Equal(8, results.Count);
        Assert.True(pool.WaitUntilReady(Patience));
        Assert.DoesNotContain(victim, pool.LocalWorkerProcessIds);
        Assert.Equal(2, pool.LocalWorkerProcessIds.Count);
    }
}
