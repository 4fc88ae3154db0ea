using Xunit;
using Xunit.Abstractions;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// Big arguments and results between a pool and the worker processes it started go through files in memory
/// (<c>/dev/shm</c>), on real processes: every value arrives exact, a killed worker or a file deleted before it was read
/// loses nothing, and no file or folder is left behind. Each test has a folder for shared values of its own under
/// /dev/shm, removed at its end.
/// </summary>
public sealed class HandOverTests(ITestOutputHelper output) : IDisposable
{
    private const int Length = 256 * 1024; // 2 MiB of doubles per item
    private readonly string _shared = $"/dev/shm/clusterpool-test-{Guid.NewGuid():N}";

    private string Root => Path.Combine(_shared, $"clusterpool-shared-{Environment.UserName}");

    public void Dispose()
    {
        if (Directory.Exists(_shared)) Directory.Delete(_shared, recursive: true);
    }

    private Pool StartPool(int processes, RecordingLogger? log = null) => Pool.Start(new PoolOptions
    {
        Processes = processes,
        Config = $"clusterpool.worker.shared.directory = \"{_shared}\"",
        LoggerFactory = log?.Factory(),
    });

    private string[] PayloadFiles() => !Directory.Exists(Root) ? []
        : [.. Directory.EnumerateFiles(Root, "*.payload", SearchOption.AllDirectories)];

    private string[] HandOverFolders() => !Directory.Exists(Root) ? []
        : [.. Directory.EnumerateDirectories(Root, "*clusterpool-handover-*")];

    private static double[][] Items(int count) => [.. Enumerable.Range(0, count).Select(i =>
        HandOverFunctions.Series(i, Length))];

    [Fact]
    public void BigArgumentsAndResultsCrossThroughMemoryExactAndLeaveNothing()
    {
        var items = Items(8);
        var pids = new HashSet<int>();
        using (var pool = StartPool(processes: 2))
        {
            try
            {
                var results = pool.Map(HandOverFunctions.Reversed, items, chunksize: 1);

                Assert.Equal(items.Select(HandOverFunctions.Reversed), results);
                var bytes = pool.Statistics.HandedOverBytes;
                output.WriteLine($"handed over: {bytes:N0} bytes");
                Assert.True(bytes >= 2L * items.Length * Length * sizeof(double),
                    $"only {bytes:N0} bytes went through memory: the arguments and results of 8 items of 2 MiB are 32 MiB");
                Wait.For(PayloadFiles, files => files.Length == 0, TimeSpan.FromSeconds(5), "no file left after the call");
            }
            finally { pids.UnionWith(pool.LocalWorkerProcessIds); }
        }
        Assert.Empty(HandOverFolders());
        Processes.AssertAllExited(pids);
    }

    [Fact]
    public async Task AWorkerKilledWhileItHoldsHandedOverChunksLosesNothingAndLeavesNoFile()
    {
        var items = Items(16);
        var pids = new HashSet<int>();
        using (var pool = StartPool(processes: 2))
        {
            try
            {
                var call = pool.MapAsync(HandOverFunctions.SlowlyReversed, items, chunksize: 1);
                Wait.For(() => pool.Statistics.ItemsDone >= 2, TimeSpan.FromSeconds(60), "the first results");
                var victim = pool.LocalWorkerProcessIds.First();
                Processes.Kill(victim);
                output.WriteLine($"killed worker {victim} with {pool.Statistics.ItemsDone} items done");
                var results = await call.Task.WaitAsync(TimeSpan.FromSeconds(60));

                Assert.Equal(items.Select(HandOverFunctions.Reversed), results);
                Assert.True(pool.Statistics.WorkersLost >= 1, "the kill was not seen: the test proved nothing");
                Assert.True(pool.Statistics.HandedOverBytes > 0, "nothing went through memory: the test proved nothing");
                // what the killed worker held and had not read is removed once its chunks ran elsewhere
                Wait.For(PayloadFiles, files => files.Length == 0, TimeSpan.FromSeconds(5), "no file left after the call");
            }
            finally { pids.UnionWith(pool.LocalWorkerProcessIds); }
        }
        Assert.Empty(HandOverFolders());
        Processes.AssertAllExited(pids);
    }

    [Fact]
    public void APayloadDeletedBeforeItsWorkerReadItIsSentAgainOverTheNetwork()
    {
        var log = new RecordingLogger();
        var items = Items(4).Select((values, i) => (values, i == 0 ? Root : "")).ToArray();
        var pids = new HashSet<int>();
        using (var pool = StartPool(processes: 1, log))
        {
            try
            {
                var results = pool.Map(HandOverFunctions.DeleteWaitingPayloads, items, chunksize: 1);

                Assert.Equal(items.Select(item => HandOverFunctions.Reversed(item.values)), results);
                Assert.Contains(log.Warnings(), line => line.Contains("go over the network from now on") &&
                    line.Contains("could not be read"));
            }
            finally { pids.UnionWith(pool.LocalWorkerProcessIds); }
        }
        Assert.Empty(HandOverFolders());
        Processes.AssertAllExited(pids);
    }
}
