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
    var other => Fail($"unknown scenario {other}"),
};

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
    }
}
