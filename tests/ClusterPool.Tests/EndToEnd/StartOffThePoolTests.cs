using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// A pool never holds a thread-pool thread while it waits for another: a program whose thread pool was busy (a test
/// host, a web app) waited for .NET to add threads, one per half second. Pool.Start ran its actor system's start on a
/// pool thread while Akka's actors needed others (a program's second pool took 0.56-0.94 s to start instead of 0.04
/// s); a stopped pool's clean-up waited on a pool thread for its workers' stop, itself queued on the pool (the next
/// pool's start took 0.6-1.0 s). Here the program's thread pool is capped and every thread but one held, so a wait
/// that .NET would end by adding a thread never ends: each of those faults hangs the program for good.
/// </summary>
public class StartOffThePoolTests
{
    [Fact]
    public void PoolsStartRunAndStopOneAfterAnotherInAProgramWithOneFreeThreadPoolThread()
    {
        using var app = Binaries.Start(Binaries.TestApp, ["pools-with-one-free-thread", "3"],
            environment: new Dictionary<string, string> { ["DOTNET_ThreadPool_ForceMaxWorkerThreads"] = "3" });
        var stderr = app.StandardError.ReadToEndAsync();
        var stdout = app.StandardOutput.ReadToEndAsync();
        // Three pools take about 8 s here; without the changes the program hung at the second pool's end.
        var ended = app.WaitForExit(TimeSpan.FromSeconds(60));
        if (!ended) app.Kill(entireProcessTree: true);
        app.WaitForExit();
        var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(ended, $"the program hung after: {string.Join(" | ", lines)}");
        Assert.True(app.ExitCode == 0, $"exit code {app.ExitCode}: {stderr.Result}");
        Assert.Equal(3, lines.Count(l => l == "mapped 3"));
    }
}
