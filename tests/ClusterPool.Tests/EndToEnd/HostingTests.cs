using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// <c>services.AddClusterPool</c> in a real Generic Host with real worker processes: the pool starts with the host, is
/// injected, and stops with it; bad options fail the host's start. Each test stops its host and checks no worker is
/// left.
/// </summary>
public class HostingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static IHost BuildHost(Action<HostApplicationBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders(); // the host's "Application started" lines are not the test's output
        configure(builder);
        return builder.Build();
    }

    /// <summary>Stops and disposes the host, whatever the test saw; then every worker of its pool is gone.</summary>
    private static void StopAndCheck(IHost host, List<int> pids)
    {
        try { host.StopAsync().Wait(Patience); }
        catch (AggregateException) { } // the test reports its own failure; the pool is terminated below regardless
        finally { host.Dispose(); }
        Processes.AssertAllExited(pids);
    }

    [Fact]
    public void HostStartsTheInjectedPoolAndItsStopEndsEveryWorkerProcess()
    {
        using var host = BuildHost(builder => builder.Services.AddClusterPool(options => options.Processes = 2));
        var pids = new List<int>();
        try
        {
            host.StartAsync().Wait(Patience);
            var pool = host.Services.GetRequiredService<Pool>();
            Assert.Same(pool, host.Services.GetRequiredService<Pool>());
            var options = host.Services.GetRequiredService<IOptions<PoolOptions>>().Value;
            Assert.False(options.HandleInterrupts);
            Assert.StartsWith("clusterpool.local-workers.spares.keep-for = 0s", options.Config);
            Assert.True(pool.WaitUntilReady(Patience));
            pids.AddRange(pool.LocalWorkerProcessIds);
            Assert.Equal(2, pids.Count);

            Assert.Equal(Enumerable.Range(0, 50).Select(x => x * x),
                pool.Map(TestFunctions.Square, Enumerable.Range(0, 50)));
            var ran = pool.Map(TestFunctions.Pid, Enumerable.Range(0, 20), chunksize: 1).Distinct();
            Assert.All(ran, pid => Assert.Contains(pid, pids)); // on the workers, not in this process

            host.StopAsync().Wait(Patience);
            Processes.AssertAllExited(pids);
            Assert.Throws<ObjectDisposedException>(() => pool.Apply(TestFunctions.Square, 2));
        }
        finally { StopAndCheck(host, pids); }
    }

    [Theory]
    [InlineData("Processes", 0)]
    [InlineData("SlotsPerProcess", 0)]
    [InlineData("MaxRetries", -1)]
    [InlineData("LocalWorkers", -1)]
    public void BadOptionsFailTheHostStartNamingTheSettingAndStartNoWorker(string setting, int value)
    {
        var before = Processes.PoolWorkersOf(Environment.ProcessId);
        using var host = BuildHost(builder => builder.Services.AddClusterPool(options => Set(options, setting, value)));
        var started = new List<int>();
        try
        {
            var error = Assert.Throws<OptionsValidationException>(() => host.StartAsync().GetAwaiter().GetResult());
            Assert.Contains($"{setting} must be", error.Message);
            Assert.Contains($"it was {value}", error.Message);
            // Resolving the pool says the same, rather than starting one.
            Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<Pool>());
            Thread.Sleep(500); // a worker process started by mistake would show by now
            started.AddRange(Processes.PoolWorkersOf(Environment.ProcessId).Except(before));
            Assert.Empty(started);
        }
        finally { StopAndCheck(host, started); }
    }

    /// <summary>The validation and <see cref="Pool.Start"/> say the same (one set of rules).</summary>
    [Theory]
    [InlineData("Processes", 0)]
    [InlineData("SlotsPerProcess", -1)]
    [InlineData("MaxTasksPerChild", -1)]
    [InlineData("MaxRetries", -1)]
    [InlineData("LocalWorkers", -1)]
    public void PoolStartRefusesTheSameSettingsWithTheSameMessage(string setting, int value)
    {
        var options = new PoolOptions();
        Set(options, setting, value);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pool.Start(options));
        var services = new ServiceCollection().AddClusterPool(hosted => Set(hosted, setting, value));
        using var provider = services.BuildServiceProvider();
        var failure = Assert.Single(Assert.Throws<OptionsValidationException>(
            () => provider.GetRequiredService<IOptions<PoolOptions>>().Value).Failures);
        Assert.StartsWith($"{setting} must be", failure);
        Assert.StartsWith(failure.Split("; it was")[0], error.Message);
    }

    private static void Set(PoolOptions options, string setting, int value)
    {
        switch (setting)
        {
            case "Processes": options.Processes = value; break;
            case "SlotsPerProcess": options.SlotsPerProcess = value; break;
            case "MaxTasksPerChild": options.MaxTasksPerChild = value; break;
            case "MaxRetries": options.MaxRetries = value; break;
            case "LocalWorkers": options.LocalWorkers = value; break;
            default: throw new ArgumentException(setting, nameof(setting));
        }
    }

    [Fact]
    public void OptionsBindFromAConfigurationSectionAndAreValidatedToo()
    {
        var pids = new List<int>();
        var settings = new Dictionary<string, string?>
        {
            ["ClusterPool:Processes"] = "2",
            ["ClusterPool:SlotsPerProcess"] = "2",
            ["ClusterPool:TaskTimeout"] = "00:01:00",
        };
        using (var host = BuildHost(builder =>
               {
                   builder.Configuration.AddInMemoryCollection(settings);
                   builder.Services.AddClusterPool(builder.Configuration.GetSection("ClusterPool"));
               }))
        {
            try
            {
                host.StartAsync().Wait(Patience);
                var options = host.Services.GetRequiredService<IOptions<PoolOptions>>().Value;
                Assert.Equal((2, 2, TimeSpan.FromMinutes(1)),
                    (options.Processes, options.SlotsPerProcess, options.TaskTimeout));
                var pool = host.Services.GetRequiredService<Pool>();
                Assert.True(pool.WaitUntilReady(Patience, slots: 4), $"{pool.Slots} slots of 2 processes with 2 each");
                pids.AddRange(pool.LocalWorkerProcessIds);
                Assert.Equal([1, 4, 9], pool.Map(TestFunctions.Square, [1, 2, 3]));
            }
            finally { StopAndCheck(host, pids); }
        }

        settings["ClusterPool:Processes"] = "-3";
        using var bad = BuildHost(builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddClusterPool(builder.Configuration.GetSection("ClusterPool"));
        });
        try
        {
            var error = Assert.Throws<OptionsValidationException>(() => bad.StartAsync().GetAwaiter().GetResult());
            Assert.Contains("Processes must be at least 1", error.Message);
        }
        finally { StopAndCheck(bad, []); }
    }

    [Fact]
    public void HandleInterruptsIsFalseUnlessTheAppSetsIt()
    {
        var services = new ServiceCollection().AddClusterPool(options => options.HandleInterrupts = true);
        using var provider = services.BuildServiceProvider();
        Assert.True(provider.GetRequiredService<IOptions<PoolOptions>>().Value.HandleInterrupts);
        Assert.True(new PoolOptions().HandleInterrupts); // a pool started by hand still handles them by default
    }

    /// <summary>
    /// The host stops while a call runs: the call finishes within the host's shutdown timeout with its results, and
    /// only then do the workers stop.
    /// </summary>
    [Fact]
    public void ACallInFlightWhenTheHostStopsFinishesBeforeTheWorkersStop()
    {
        using var host = BuildHost(builder => builder.Services.AddClusterPool(options => options.Processes = 2));
        var pids = new List<int>();
        try
        {
            var result = StartAndRunTwoSleeps(host, 2.0, pids);

            var clock = Stopwatch.StartNew();
            host.StopAsync().Wait(Patience);
            Assert.True(result.Ready, "StopAsync returned before the call finished");
            Assert.Equal([2.0, 2.0], result.Get().Select(r => r.Seconds));
            Assert.True(clock.Elapsed > TimeSpan.FromSeconds(1), $"StopAsync took only {clock.Elapsed}");
            Processes.AssertAllExited(pids);
        }
        finally { StopAndCheck(host, pids); }
    }

    /// <summary>
    /// Starts the host, then its pool's two workers each run a task of <paramref name="seconds"/> (their pids go to
    /// <paramref name="pids"/>); returns once both tasks run.
    /// </summary>
    private static AsyncResult<IReadOnlyList<(double Seconds, int Pid)>> StartAndRunTwoSleeps(IHost host, double seconds,
        List<int> pids)
    {
        host.StartAsync().Wait(Patience);
        var pool = host.Services.GetRequiredService<Pool>();
        Assert.True(pool.WaitUntilReady(Patience));
        pids.AddRange(pool.LocalWorkerProcessIds);
        var result = pool.MapAsync(TestFunctions.Sleep, [seconds, seconds], chunksize: 1);
        Wait.For(() => pool.Statistics.BusySlots == 2, Patience, "both tasks to start");
        return result;
    }

    /// <summary>
    /// A call that outlasts the host's shutdown timeout fails with <see cref="PoolTerminatedException"/>, and the stop
    /// does not wait for it: the workers are killed.
    /// </summary>
    [Fact]
    public void ACallOutlastingTheShutdownTimeoutIsTerminated()
    {
        using var host = BuildHost(builder =>
        {
            builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(1));
            builder.Services.AddClusterPool(options => options.Processes = 2);
        });
        var pids = new List<int>();
        try
        {
            var result = StartAndRunTwoSleeps(host, 60.0, pids);

            var clock = Stopwatch.StartNew();
            host.StopAsync().Wait(Patience);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"StopAsync took {clock.Elapsed}");
            Assert.Throws<PoolTerminatedException>(() => result.Get(TimeSpan.FromSeconds(5)));
            Processes.AssertAllExited(pids);
        }
        finally { StopAndCheck(host, pids); }
    }

    /// <summary>A hosted service that takes the pool in its constructor gets it started and can use it.</summary>
    [Fact]
    public void AHostedServiceTakingThePoolInItsConstructorUsesIt()
    {
        using var host = BuildHost(builder =>
        {
            builder.Services.AddClusterPool(options => options.Processes = 1);
            builder.Services.AddSingleton<SquaresAtStart>();
            builder.Services.AddHostedService(provider => provider.GetRequiredService<SquaresAtStart>());
        });
        var pids = new List<int>();
        try
        {
            host.StartAsync().Wait(Patience);
            var service = host.Services.GetRequiredService<SquaresAtStart>();
            pids.AddRange(service.Pool.LocalWorkerProcessIds);
            Assert.True(service.Squares.Wait(Patience), "the hosted service's call never finished");
            Assert.Equal([0, 1, 4, 9], service.Squares.Result);
        }
        finally { StopAndCheck(host, pids); }
    }

    private sealed class SquaresAtStart(Pool pool) : BackgroundService
    {
        public Pool Pool => pool;

        private readonly TaskCompletionSource<IReadOnlyList<int>> _squares =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>What its call returned (.NET 10 runs ExecuteAsync on its own: the test waits for it).</summary>
        public Task<IReadOnlyList<int>> Squares => _squares.Task;

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try { _squares.TrySetResult(await pool.MapAsync(TestFunctions.Square, Enumerable.Range(0, 4))); }
            catch (Exception e) { _squares.TrySetException(e); }
        }
    }
}
