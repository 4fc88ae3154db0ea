using System.Runtime.InteropServices;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// A pool never holds a thread-pool thread while it waits for another: a program whose thread pool was busy (a test
/// host, a web app) waited for .NET to add threads, one per half second, or for ever where it could add none. Here the
/// program's thread pool is capped and every thread but one held, so each such wait hangs the program for good.
/// </summary>
public class OneFreePoolThreadTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigInt = 2;

    private static readonly Dictionary<string, string> OnePoolThreadFree = new()
    {
        ["DOTNET_ThreadPool_ForceMaxWorkerThreads"] = "3", // the program holds two
    };

    /// <summary>
    /// Pool.Start ran its actor system's start on a pool thread while Akka's actors needed others (a program's second
    /// pool took 0.56-0.94 s to start instead of 0.04 s); a stopped pool's clean-up waited on a pool thread for its
    /// workers' stop, itself queued on the pool (the next pool's start took 0.6-1.0 s in CI). Each hung this program.
    /// </summary>
    [Fact]
    public void PoolsStartRunAndStopOneAfterAnother()
    {
        // Three pools take about 8 s here; without the changes the program hung at the second pool's end.
        var app = Binaries.Run(Binaries.TestApp, ["pools-with-one-free-thread", "3"], TimeSpan.FromSeconds(60),
            OnePoolThreadFree);
        Assert.True(app.Ended, $"the program hung after: {string.Join(" | ", app.Lines)}");
        Assert.True(app.ExitCode == 0, $"exit code {app.ExitCode}: {app.Stderr}");
        Assert.Equal(3, app.Lines.Count(l => l == "mapped 3"));
    }

    /// <summary>
    /// Ctrl+C's stop ran on a pool thread and waited there for the coordinator, whose actor needs one: the program
    /// said "interrupted" and hung.
    /// </summary>
    [Fact]
    public void CtrlCDuringAMapStopsTheProgram()
    {
        using var app = Binaries.Start(Binaries.TestApp, ["map-with-one-free-thread"],
            wrapper: ["env", "--default-signal=INT"], environment: OnePoolThreadFree);
        var stdout = new System.Text.StringBuilder();
        app.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
        app.BeginOutputReadLine();
        var stderr = app.StandardError.ReadToEndAsync();
        try
        {
            Wait.For(() => { lock (stdout) return stdout.ToString().Contains("mapping"); }, TimeSpan.FromSeconds(30),
                "the program's Map");
            Thread.Sleep(TimeSpan.FromSeconds(2)); // its tasks run
            var workers = Processes.WorkersOf(app.Id);
            Assert.Equal(0, kill(app.Id, SigInt));
            Assert.True(app.WaitForExit(TimeSpan.FromSeconds(20)), "the program hung after Ctrl+C");
            Assert.Equal(130, app.ExitCode);
            Assert.Contains("the run was interrupted", stderr.Result);
            Processes.AssertAllExited(workers, TimeSpan.FromSeconds(5));
        }
        finally { Processes.KillTree(app); }
    }

    /// <summary>
    /// Ctrl+C while the program waits for worker hosts (WaitUntilReady, cluster mode) ends it with 130, as during a
    /// call: taken for a signal between calls, it stopped the pool under the wait, which threw ObjectDisposedException
    /// and crashed the program (exit 134).
    /// </summary>
    [Fact]
    public void CtrlCWhileWaitingForWorkerHostsEndsTheProgramWith130()
    {
        using var app = Binaries.Start(Binaries.TestApp, ["wait-for-hosts", $"127.0.0.1:{ClusterPool.Workers.LoopbackPort.Free()}"],
            wrapper: ["env", "--default-signal=INT"]);
        var stdout = new System.Text.StringBuilder();
        app.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
        app.BeginOutputReadLine();
        var stderr = app.StandardError.ReadToEndAsync();
        try
        {
            Wait.For(() => { lock (stdout) return stdout.ToString().Contains("waiting"); }, TimeSpan.FromSeconds(30),
                "the program's wait");
            Thread.Sleep(500);
            Assert.Equal(0, kill(app.Id, SigInt));
            Assert.True(app.WaitForExit(TimeSpan.FromSeconds(20)), "the program hung after Ctrl+C");
            Assert.True(app.ExitCode == 130, $"exit code {app.ExitCode}: {stderr.Result}");
            Assert.DoesNotContain("Unhandled exception", stderr.Result);
        }
        finally { Processes.KillTree(app); }
    }
}
