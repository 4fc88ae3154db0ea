using System.Diagnostics;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// Processes a task starts (a child, and an orphaned grandchild) die with its worker process, however the worker ends:
/// Close and Join, a MaxTasksPerChild recycle, kill -9, Terminate.
/// </summary>
public class ChildProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public void CloseAndJoinLeavesNoProcessATaskStarted()
    {
        var pool = Pool.Start(new PoolOptions { Processes = 1 });
        try
        {
            var started = pool.Apply(SpawningFunctions.StartSleepers, 0);
            Assert.True(Alive(started.Child) && Alive(started.Orphan), "the task's processes did not start");
            pool.Close();
            pool.Join();
            AssertGone(started);
        }
        finally { pool.Dispose(); }
    }

    [Fact]
    public void ARecycledWorkerTakesWhatItsTaskStartedWithIt()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 1, MaxTasksPerChild = 1 });
        var first = pool.Apply(SpawningFunctions.StartSleepers, 0);
        var second = pool.Apply(SpawningFunctions.StartSleepers, 1);
        Assert.NotEqual(first.Worker, second.Worker); // the first worker retired after its one task
        AssertGone(first);
        pool.Terminate();
        AssertGone(second);
    }

    [Fact]
    public void AWorkerKilledWithSignal9TakesWhatItsTaskStartedWithIt()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 1 });
        var started = pool.Apply(SpawningFunctions.StartSleepers, 0);
        Process.GetProcessById(started.Worker).Kill();
        AssertGone(started);
        Assert.Equal(4, pool.Apply(TestFunctions.Square, 2)); // and its replacement works
    }

    private static void AssertGone((int Child, int Orphan, int Worker) started)
    {
        try
        {
            Wait.For(() => (Child: Alive(started.Child), Orphan: Alive(started.Orphan)),
                alive => !alive.Child && !alive.Orphan, Patience,
                $"the processes the task started ({started.Child}, {started.Orphan}) to die with worker {started.Worker}");
        }
        finally
        {
            foreach (var pid in new[] { started.Child, started.Orphan })
                if (Alive(pid)) Process.GetProcessById(pid).Kill(); // never leave one behind, even when the test fails
        }
    }

    /// <summary>Running (a zombie, killed and waiting to be reaped, counts as gone).</summary>
    private static bool Alive(int pid)
    {
        try { return !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z'); }
        catch (IOException) { return false; }
    }
}
