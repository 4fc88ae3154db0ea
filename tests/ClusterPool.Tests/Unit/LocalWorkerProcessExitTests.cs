using ClusterPool.Contracts.Launch;
using ClusterPool.Workers;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// A worker process's owner releases it (disposes its <see cref="System.Diagnostics.Process"/>) as soon as its exit is
/// reported, while another thread may be about to wait for that exit: a spare killed at the program's exit, a pool
/// stopping its workers. Waiting on the released Process threw a NullReferenceException from .NET, which ended a demo
/// stopped by Ctrl+C with code 134 instead of 130 (seen once in the suite, in OrphanTests).
/// </summary>
public class LocalWorkerProcessExitTests
{
    [Fact]
    public void WaitingForTheExitOfAReleasedProcessSaysItHasExited()
    {
        using var released = new ManualResetEventSlim();
        var process = StartReleasedAtExit(exitCode: 0, released);
        Assert.False(Exited(process, TimeSpan.Zero));
        process.Tell("exit");
        Assert.True(released.Wait(TimeSpan.FromSeconds(10)), "its exit was never reported");
        // Seen once its exit handler is through, which released it first: a moment after `released`.
        Assert.True(Exited(process, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void WaitingForAnExitWhileTheOwnerReleasesTheProcessNeitherThrowsNorMissesIt()
    {
        for (var round = 0; round < 300; round++)
        {
            var process = StartReleasedAtExit(exitCode: 0, released: null);
            process.Tell("exit");
            // Short waits, one after another, so that some of them straddle the release.
            var seen = false;
            for (var wait = 0; wait < 10_000 && !seen; wait++) seen = Exited(process, TimeSpan.FromMilliseconds(1));
            Assert.True(seen, "its exit was not seen");
        }
    }

    [Fact]
    public void AReleasedProcessStillTellsItsExitCode()
    {
        // Read in its exit handler, not from the Process its owner releases: before, it was -1 once released.
        using var released = new ManualResetEventSlim();
        var process = StartReleasedAtExit(exitCode: 3, released);
        Assert.Equal(-1, process.ExitCode);
        process.Tell("exit");
        Assert.True(released.Wait(TimeSpan.FromSeconds(10)), "its exit was never reported");
        Assert.Equal(3, process.ExitCode);
    }

    [Fact]
    public void ReadingItsCpuTimeAsItExitsNeitherHangsNorThrows()
    {
        // The pool's CPU watch reads every running worker's CPU time from a timer, under the lock the Exited handler
        // takes, while .NET runs that handler holding the Process's own lock. A read that took the Process's lock too
        // would deadlock with it (an SSH session's Dispose did so, in CI); .NET's CPU-time read does not take it
        // today, and this test says so if that changes.
        for (var round = 0; round < 300; round++)
        {
            using var released = new ManualResetEventSlim();
            var process = StartReleasedAtExit(exitCode: 0, released);
            var reader = Task.Run(() =>
            {
                while (!released.IsSet) _ = process.CpuTime;
            });
            process.Tell("exit");
            Assert.True(released.Wait(TimeSpan.FromSeconds(10)), $"round {round}: its exit was never reported");
            Assert.True(reader.Wait(TimeSpan.FromSeconds(10)), $"round {round}: reading its CPU time hung");
        }
    }

    /// <summary>A shell that exits with <paramref name="exitCode"/> when told a line, whose owner releases it as its
    /// exit is reported, then sets <paramref name="released"/>.</summary>
    private static LocalWorkerProcess StartReleasedAtExit(int exitCode, ManualResetEventSlim? released)
    {
        var launch = new WorkerLaunch("/bin/sh", ["-c", $"read line; exit {exitCode}"], "a shell", InsideApp: false);
        return LocalWorkerProcess.Start(launch, launch.StartInfo([]), LocalWorkerProcess.Owner.Waiting(p =>
        {
            p.Release();
            released?.Set();
        }), NullLogger.Instance);
    }

    private static bool Exited(LocalWorkerProcess process, TimeSpan wait) =>
        process.WaitForExitAsync(wait).GetAwaiter().GetResult();
}
