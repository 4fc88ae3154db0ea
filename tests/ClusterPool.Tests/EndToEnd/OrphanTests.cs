using ClusterPool.Workers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ClusterPool.Bench;
using Xunit;
using Xunit.Abstractions;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>No worker process outlives its pool: not after Ctrl+C, not after SIGTERM, not after kill -9 of the parent.</summary>
public class OrphanTests(ITestOutputHelper output)
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigInt = 2, SigKill = 9, SigTerm = 15;

    /// <summary>Starts a long demo and waits until its three worker processes run; returns them, and any spares.</summary>
    private static List<int> StartDemo(out Process demo)
    {
        // As from a terminal: a program started in the background inherits SIGINT ignored (and rightly keeps it so);
        // `env --default-signal` gives the demo the default disposition a terminal's foreground program has.
        demo = Binaries.Start(Binaries.ClusterPoolCli, ["demo", "--scale", "20", "--json"], wrapper: ["env", "--default-signal=INT"]);
        _ = demo.StandardOutput.ReadToEndAsync();
        var started = demo;
        Wait.For(() => Processes.PoolWorkersOf(started.Id).Count >= 3,
            TimeSpan.FromSeconds(30), "the demo's 3 workers");
        Thread.Sleep(2000); // the workers have registered and run the first task
        Assert.Equal(3, Processes.PoolWorkersOf(demo.Id).Count);
        return Processes.WorkersOf(demo.Id); // with the spares it started for a next pool meanwhile: none may outlive it either
    }

    [Theory]
    [InlineData(SigInt)]
    [InlineData(SigTerm)]
    public void AnInterruptedDemoStopsItsWorkersAndExitsWithItsSignalsCode(int signal)
    {
        var workers = StartDemo(out var demo);
        using (demo)
        {
            try
            {
                var stderr = demo.StandardError.ReadToEndAsync();
                Assert.Equal(0, kill(demo.Id, signal));
                Assert.True(demo.WaitForExit(TimeSpan.FromSeconds(10)), "the demo did not stop within 10 s of the signal");
                Assert.True(demo.ExitCode == (signal == SigTerm ? 143 : 130), $"exit code {demo.ExitCode}: {stderr.Result}");
            }
            finally { Processes.KillTree(demo); }
        }
        Processes.AssertAllExited(workers, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void WorkersExitByThemselvesWhenTheirParentIsKilled()
    {
        var workers = StartDemo(out var demo);
        using (demo)
        {
            Assert.Equal(0, kill(demo.Id, SigKill));
            demo.WaitForExit(5000);
        }
        Processes.AssertAllExited(workers, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void RemoteWorkerHostsExitWithin10SecondsWhenTheCoordinatorIsKilled()
    {
        var address = $"127.0.0.1:{LoopbackPort.Free()}";
        // Every line the three print goes to the test's log, so a failure says what they saw.
        using var demo = Processes.Drained(Binaries.Start(Binaries.ClusterPoolCli, ["demo", "--listen", address, "--processes", "2", "--scale", "20", "--json"]), output);
        // Two hosts started by hand, as on other machines: each a supervisor with the actual host as its child.
        // The worker's own program needs to be told where the demo's functions are; the tool's `worker` knows.
        using var first = Processes.Drained(Binaries.Start(Binaries.Worker, ["--join", address, "--app", Binaries.ClusterPoolCli]), output);
        using var second = Processes.Drained(Binaries.Start(Binaries.ClusterPoolCli, ["worker", "--join", address]), output);
        var supervisors = new[] { first, second };
        var everyone = new List<int>();
        try
        {
            Wait.For(() => supervisors.All(s => Processes.WorkersOf(s.Id).Count > 0), TimeSpan.FromSeconds(60),
                "both supervisors to run a host");
            Thread.Sleep(3000); // registered, and running the demo's first tasks
            everyone = [.. supervisors.Select(s => s.Id), .. supervisors.SelectMany(s => Processes.WorkersOf(s.Id))];
            foreach (var s in supervisors)
                output.WriteLine($"host supervisor {s.Id}: {(s.HasExited ? $"exited with {s.ExitCode}" : "running")}, children {string.Join(", ", Processes.WorkersOf(s.Id))}");
            Assert.Equal(4, everyone.Count);

            Assert.Equal(0, kill(demo.Id, SigKill));
            var killed = Stopwatch.StartNew();
            Processes.AssertAllExited(everyone, TimeSpan.FromSeconds(10));
            Console.WriteLine($"remote worker hosts gone {killed.Elapsed.TotalSeconds:0.0} s after kill -9 of the coordinator");
            Assert.All(supervisors, s => Assert.True(s.WaitForExit(5000) && s.ExitCode == 69, "exit code 69: the coordinator is gone"));
        }
        finally
        {
            Processes.KillTree(demo);
            foreach (var host in supervisors) Processes.KillTree(host);
        }
    }
}
