using System.Diagnostics;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>Workers that cannot start fail the waiting calls within seconds, saying why, instead of hanging.</summary>
public class StartFailureTests
{
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);

    [Fact]
    public void WorkersThatCannotStartFailTheCallsAndWaitUntilReadyNamingTheCause()
    {
        // A setting only workers read, and wrong: every worker exits at once with a message on stderr.
        using var pool = Pool.Start(new PoolOptions { Processes = 2, Config = "clusterpool.worker.register-retry = 0s" });
        var clock = Stopwatch.StartNew();
        var pending = pool.MapAsync(TestFunctions.Square, [1, 2, 3]);

        var error = Assert.Throws<WorkerStartException>(() => pending.Get(TenSeconds));
        Assert.True(clock.Elapsed < TenSeconds, $"took {clock.Elapsed}");
        // the worker's own words, from its stderr (the whole message is shown if not: a failure in CI said no more)
        Assert.True(error.Message.Contains("clusterpool.worker.register-retry"), error.Message);
        Assert.True(error.ExitCode == 1, error.Message);

        Assert.Throws<WorkerStartException>(() => pool.WaitUntilReady(TenSeconds));
        Assert.Throws<WorkerStartException>(() => pool.Map(TestFunctions.Square, [1])); // a new call fails at once too
        Assert.True(clock.Elapsed < TenSeconds, $"took {clock.Elapsed}");
    }

    /// <summary>
    /// The initializer's arguments must fit one message: bigger, Akka.Remote dropped every worker's welcome, the pool
    /// said it was ready, and every call hung.
    /// </summary>
    [Fact]
    public void InitArgsBiggerThanAMessageAreRefusedAtStartNamingTheWayOut()
    {
        var error = Assert.Throws<PayloadTooLargeException>(() => Pool.Start(new PoolOptions
        {
            Processes = 1, Initializer = new Action<byte[]>(TestFunctions.LoadTable), InitArgs = [new byte[9_000_000]],
        }));
        Assert.StartsWith("PoolOptions.InitArgs: 9,000,", error.Message);
        Assert.Contains("pool.Share(value)", error.Message);
    }
}
