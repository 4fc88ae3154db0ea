using ClusterPool.Workers;
using ClusterPool.Bench;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>Cluster mode: a pool that listens on an address, and worker hosts started by hand that join it.</summary>
public class ClusterModeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Starts a worker host, runs <paramref name="check"/>, and stops the host whatever happens.</summary>
    internal static void WithWorkerHost(string dll, IEnumerable<string> args, Action<System.Diagnostics.Process> check, string[]? wrapper = null)
    {
        using var worker = Binaries.Start(dll, args, wrapper);
        var stderr = worker.StandardError.ReadToEndAsync();
        try { check(worker); }
        catch (Exception e) when (worker.HasExited)
        {
            throw new Xunit.Sdk.XunitException($"the worker host exited with {worker.ExitCode}: {stderr.Result}\n{e}");
        }
        finally { Processes.KillTree(worker); }
    }

    [Fact]
    public void APoolWithAListenAddressStartsNoLocalWorkersAndUsesAJoinedHostsSlots()
    {
        var port = LoopbackPort.Free();
        using var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{port}", Processes = 2 });
        Assert.Empty(pool.LocalWorkerProcessIds);
        Assert.Equal($"127.0.0.1:{port}", pool.Address);

        // Through `clusterpool worker`, the main command's worker verb.
        WithWorkerHost(Binaries.ClusterPoolCli, ["worker", "--join", pool.Address, "--app", Binaries.TestsAssembly, "--slots", "2"], worker =>
        {
            Assert.True(pool.WaitUntilReady(Patience, slots: 2), "the worker host's two slots never registered");
            var results = pool.Map(StampedFunctions.SleepASecond, Enumerable.Range(0, 4), chunksize: 1);
            // A host started by hand supervises: the tasks run in its child process.
            Assert.Equal([worker.Id], results.Select(r => Processes.ParentOf(r.Pid)).Distinct());
            // Two slots: the four one-second tasks ran two at a time (each started with another, not after it), whatever
            // the machine's load does to the total.
            var starts = results.Select(r => r.StartedMs).Order().ToArray();
            Assert.True(starts[1] - starts[0] < 900 && starts[3] - starts[2] < 900, // one slot would start them 1 s apart
                $"not two at a time: started at +{string.Join(", +", starts.Select(s => s - starts[0]))} ms");
        });
    }

    [Fact]
    public void AWorkerHostJoinedLaterStartsPullingAtOnce()
    {
        var port = LoopbackPort.Free();
        using var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{port}", Processes = 1 });
        var pending = pool.MapAsync(TestFunctions.Square, Enumerable.Range(0, 100));
        Thread.Sleep(300);
        Assert.False(pending.Ready); // no worker yet: the call waits in the queue
        WithWorkerHost(Binaries.Worker, ["--join", pool.Address, "--app", Binaries.TestsAssembly], _ =>
            Assert.Equal(Enumerable.Range(0, 100).Select(x => x * x), pending.Get(Patience)));
    }

    [Fact]
    public void TheDemoInClusterModeRunsToTheEndOnHostsStartedAsItsHintSays()
    {
        var address = $"127.0.0.1:{LoopbackPort.Free()}";
        using var demo = Binaries.Start(Binaries.ClusterPoolCli, ["demo", "--listen", address, "--processes", "2", "--scale", "0.05", "--json"]);
        var stdout = demo.StandardOutput.ReadToEndAsync();
        var stderr = demo.StandardError.ReadToEndAsync();
        try
        {
            // The hint, as a user reads it: "start 2 worker host(s) with: clusterpool worker --join ADDRESS". No --app: the
            // tool's own hosts know the demo's functions.
            WithWorkerHost(Binaries.ClusterPoolCli, ["worker", "--join", address], first =>
                WithWorkerHost(Binaries.ClusterPoolCli, ["worker", "--join", address], second =>
                {
                    Assert.True(demo.WaitForExit(Patience), "the demo did not finish within 60 s");
                    Assert.True(demo.ExitCode == 0, $"the demo exited with {demo.ExitCode}: {stderr.Result}");
                    var methods = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                    Assert.Equal(8, methods.Length);
                    // Every task ran in a child of one of the two hosts.
                    var parents = methods.SelectMany(m => System.Text.Json.JsonDocument.Parse(m).RootElement.GetProperty("results").EnumerateArray())
                        .Select(row => row[2].GetInt32()).ToHashSet();
                    Assert.Subset(new HashSet<int> { first.Id, second.Id }, parents);
                }));
        }
        finally { Processes.KillTree(demo); }
    }

    [Fact]
    public void AWorkerWithABadJoinAddressExitsWithCodeTwo()
    {
        using var worker = Binaries.Start(Binaries.Worker, ["--join", "nowhere"]);
        var stderr = worker.StandardError.ReadToEndAsync();
        Assert.True(worker.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, worker.ExitCode);
        Assert.Contains("--join must be HOST:PORT", stderr.Result);
    }
}
