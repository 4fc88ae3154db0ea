using ClusterPool;
using ClusterPool.TestApp;

// ClusterPool.TestApp SCENARIO: what the end-to-end tests run in a process of their own.
return args.FirstOrDefault() switch
{
    // A Map, then a minute of the program's own work (writing a report): Ctrl+C or SIGTERM lands between calls.
    "map-then-work" => PoolProgram.Run(() =>
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 1 });
        Console.WriteLine($"mapped {pool.Map(Functions.Square, Enumerable.Range(0, 10)).Sum()}");
        Thread.Sleep(TimeSpan.FromMinutes(1));
        Console.WriteLine("went on after the signal");
    }),
    // Pools of 3 in a row, each running tasks of a second or more (long enough that the spares for the next one start
    // meanwhile), in a program that holds every thread of its thread pool but one (the test caps the pool). A pool
    // that holds a pool thread while it waits for another never gets one here.
    "pools-with-one-free-thread" => PoolsInARow(int.Parse(args[1])),
    // A Map of 40 s, in a program that holds every thread of its thread pool but one (the test caps the pool): Ctrl+C
    // lands while it runs.
    "map-with-one-free-thread" => HoldAllPoolThreadsButOne() ?? PoolProgram.Run(() =>
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 2, ShutdownGrace = TimeSpan.FromSeconds(1) });
        Console.WriteLine("mapping");
        pool.Map(Functions.Sleep, Enumerable.Repeat(2.0, 40));
        Console.WriteLine("mapped");
    }),
    // A pool that listens for worker hosts (none comes) and waits for them: Ctrl+C lands during the wait.
    "wait-for-hosts" => PoolProgram.Run(() =>
    {
        using var pool = Pool.Start(new PoolOptions { ListenAddress = args[1] });
        Console.WriteLine("waiting");
        Console.WriteLine($"ready: {pool.WaitUntilReady(TimeSpan.FromSeconds(60))}");
    }),
    // A pool that listens for worker hosts and runs a Map of 20 s on the first one's slot: Ctrl+C lands mid-Map. The
    // pool is left to the program's end, not disposed (as Python programs leave theirs).
    "map-on-hosts" => PoolProgram.Run(() =>
    {
        var pool = Pool.Start(new PoolOptions { ListenAddress = args[1], ShutdownGrace = TimeSpan.FromSeconds(1) });
        if (!pool.WaitUntilReady(TimeSpan.FromSeconds(60), slots: 1)) throw new TimeoutException("no worker host");
        Console.WriteLine("mapping");
        pool.Map(Functions.Sleep, Enumerable.Repeat(0.2, 100), chunksize: 1);
        Console.WriteLine("mapped");
    }),
    // A Map of 20 s on one worker: Ctrl+C or SIGTERM lands while it runs.
    "long-map" => PoolProgram.Run(() =>
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 1, ShutdownGrace = TimeSpan.FromSeconds(1) });
        Console.WriteLine("mapping");
        pool.Map(Functions.Sleep, Enumerable.Repeat(0.2, 100), chunksize: 1);
        Console.WriteLine("mapped");
    }),
    // Cultures and their comparers to a worker and back, with .NET's culture data.
    "cultures" => Cultures.Run(),
    var other => Fail($"unknown scenario {other}"),
};

static int PoolsInARow(int pools)
{
    if (HoldAllPoolThreadsButOne() is { } failed) return failed;
    for (var i = 0; i < pools; i++)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The second pool adopts the first one's actor system; the third, made otherwise, starts its own beside it.
        using var pool = Pool.Start(new PoolOptions { Processes = 3, Config = i < 2 ? null : "clusterpool.max-retries = 4" });
        Console.WriteLine($"started in {clock.Elapsed.TotalSeconds:0.000} s");
        Console.WriteLine($"mapped {pool.Map(Functions.Sleep, [1.2, 0.8, 0.4]).Count}");
    }
    return 0;
}

// Holds every thread of the program's thread pool but one, for good; null, or the exit code of a pool that is not
// capped (DOTNET_ThreadPool_ForceMaxWorkerThreads).
static int? HoldAllPoolThreadsButOne()
{
    ThreadPool.GetMaxThreads(out var most, out _);
    if (most > 64) return Fail("run with DOTNET_ThreadPool_ForceMaxWorkerThreads set to a few threads");
    var never = new ManualResetEventSlim();
    for (var k = 0; k < most - 1; k++) ThreadPool.UnsafeQueueUserWorkItem(_ => never.Wait(), null);
    return null;
}

static int Fail(string why)
{
    Console.Error.WriteLine(why);
    return 2;
}

namespace ClusterPool.TestApp
{
    /// <summary>The tasks the scenarios run.</summary>
    public static class Functions
    {
        /// <summary>x squared.</summary>
        public static int Square(int x) => x * x;

        /// <summary>Sleeps <paramref name="seconds"/>.</summary>
        public static double Sleep(double seconds)
        {
            Thread.Sleep(TimeSpan.FromSeconds(seconds));
            return seconds;
        }
    }
}
