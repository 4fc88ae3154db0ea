using System.Diagnostics;
using System.Net.Http;
using Akka;
using Akka.Actor;
using ClusterPool.Lifecycle;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// The pool's async forms, used as async code uses them: <c>await Pool.StartAsync</c> (with its dashboard),
/// <c>await pool.GetStatisticsAsync()</c>, <c>await using</c> (DisposeAsync), against real worker processes.
/// </summary>
public class AsyncLifecycleTests
{
    [Fact]
    public async Task AnAsyncPoolStartsWithItsDashboardAnswersStatisticsAndStopsItsWorkersWhenDisposed()
    {
        var pool = await Pool.StartAsync(new PoolOptions { Processes = 2, Dashboard = "127.0.0.1:0", HandleInterrupts = false });
        IReadOnlyCollection<int> workers = [];
        try
        {
            Assert.NotNull(pool.DashboardAddress);
            var statistics = await pool.GetStatisticsAsync();
            for (var tries = 0; statistics.Slots < 2 && tries < 600; tries++)
            {
                await Task.Delay(50);
                statistics = await pool.GetStatisticsAsync();
            }
            Assert.Equal(2, statistics.Slots);
            Assert.Equal(0, statistics.RunningCalls);
            Assert.Equal([0, 1, 4, 9], await pool.MapAsync(TestFunctions.Square, [0, 1, 2, 3]));
            Assert.Equal(4, (await pool.GetStatisticsAsync()).ItemsDone);
            using var http = new HttpClient();
            Assert.Contains("\"slots\":2", await http.GetStringAsync(pool.DashboardAddress + "/api/state"));
            workers = pool.LocalWorkerProcessIds;
            Assert.Equal(2, workers.Count);
        }
        finally { await pool.DisposeAsync(); }

        Processes.AssertAllExited(workers);
        Assert.Throws<ObjectDisposedException>(() => pool.MapAsync(TestFunctions.Square, [1]));
        using var afterwards = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => afterwards.GetStringAsync(pool.DashboardAddress + "/api/state"));
    }

    /// <summary>
    /// A cancel while the pool starts stops the start at its next step and throws OperationCanceledException: the token
    /// was looked at only once the start was done (local workers spawned, the actor system up; with hosts, once each
    /// had started or failed, up to minutes). Here it comes as the pool picks its port, before anything has started.
    /// </summary>
    [Fact]
    public async Task ACancelDuringTheStartStopsItPromptlyAndLeavesNoWorker()
    {
        using var cancel = new CancellationTokenSource();
        var sinceCancel = new System.Diagnostics.Stopwatch();
        PoolStarter.ChooseFreePort = () =>
        {
            cancel.Cancel();
            sinceCancel.Start();
            return Workers.LoopbackPort.Free();
        };
        try
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Pool.StartAsync(new PoolOptions { Processes = 2, HandleInterrupts = false, Config = OwnActorSystem.Config }, cancel.Token));
        }
        finally { PoolStarter.ChooseFreePort = Workers.LoopbackPort.Free; }
        Assert.True(sinceCancel.Elapsed < TimeSpan.FromMilliseconds(300), $"{sinceCancel.Elapsed.TotalMilliseconds:0} ms after the cancel");
        Assert.Empty(Processes.PoolWorkersOf(Environment.ProcessId));
    }

    /// <summary>
    /// A cancel while the start waits for another process's lock on the checkpoint (up to 5 s) ends it at once: the
    /// start waited the lock out, then failed with CheckpointException, whatever the token said.
    /// </summary>
    [Fact]
    public async Task ACancelWhileTheCheckpointIsLockedEndsTheStartAtOnce()
    {
        var folder = Directory.CreateTempSubdirectory("clusterpool-locked-").FullName;
        var checkpoint = Path.Combine(folder, "run.db");
        using var other = new SqliteConnection($"Data Source={checkpoint};Pooling=False");
        other.Open();
        using (var hold = other.CreateCommand())
        {
            hold.CommandText = "PRAGMA journal_mode = WAL; BEGIN IMMEDIATE"; // another run's write lock
            hold.ExecuteNonQuery();
        }
        using var cancel = new CancellationTokenSource();
        try
        {
            var starting = Pool.StartAsync(new PoolOptions { Processes = 1, Checkpoint = checkpoint, HandleInterrupts = false }, cancel.Token);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.False(starting.IsCompleted, "the start did not wait for the lock");
            var sinceCancel = Stopwatch.StartNew();
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => starting);
            Assert.True(sinceCancel.Elapsed < TimeSpan.FromSeconds(1), $"{sinceCancel.Elapsed.TotalMilliseconds:0} ms after the cancel");
            Assert.Empty(Processes.PoolWorkersOf(Environment.ProcessId));
        }
        finally
        {
            other.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A cancel while the start waits for a stopping pool of this program to let go of the same ListenAddress (up to
    /// 10 s) ends it at once, and the local worker it had started is stopped: the start waited it out.
    /// </summary>
    [Fact]
    public async Task ACancelWhileAStoppingPoolStillHoldsTheAddressEndsTheStartAndItsWorker()
    {
        var address = $"127.0.0.1:{Workers.LoopbackPort.Free()}";
        // A pool's actor system that is stopping and does not finish: its address stays held until it does.
        var letGo = new TaskCompletionSource<Done>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopping = ActorSystem.Create("stopping", "akka.coordinated-shutdown.phases.before-service-unbind.timeout = 60s");
        CoordinatedShutdown.Get(stopping).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "hold", () => letGo.Task);
        _ = CoordinatedShutdown.Get(stopping).Run(CoordinatedShutdown.UnknownReason.Instance);
        HeldAddresses.Hold(address, stopping);
        var before = Processes.WorkersOf(Environment.ProcessId);
        using var cancel = new CancellationTokenSource();
        try
        {
            var starting = Pool.StartAsync(new PoolOptions { ListenAddress = address, LocalWorkers = 1, HandleInterrupts = false }, cancel.Token);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.False(starting.IsCompleted, "the start did not wait for the address");
            var sinceCancel = Stopwatch.StartNew();
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => starting);
            Assert.True(sinceCancel.Elapsed < TimeSpan.FromSeconds(1), $"{sinceCancel.Elapsed.TotalMilliseconds:0} ms after the cancel");
            Wait.For(() => Processes.WorkersOf(Environment.ProcessId).Except(before).ToList(), left => left.Count == 0,
                TimeSpan.FromSeconds(5), "the start's worker process to be stopped");
        }
        finally
        {
            letGo.TrySetResult(Done.Instance);
            await stopping.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task AnAsyncStartWithABadSettingThrowsNamingItAndStartsNothing()
    {
        var error = await Assert.ThrowsAsync<PoolConfigurationException>(() =>
            Pool.StartAsync(new PoolOptions { Processes = 1, Config = "clusterpool.max-retries = -1" }));
        Assert.Contains("clusterpool.max-retries", error.Message);
        Assert.Empty(Processes.PoolWorkersOf(Environment.ProcessId));
    }
}
