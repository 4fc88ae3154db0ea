using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>One embedded pool of two real worker processes, shared by the tests of the "shared pool" collection.</summary>
public sealed class SharedPool : IDisposable
{
    public SharedPool()
    {
        Pool = Pool.Start(new PoolOptions { Processes = 2 });
        if (!Pool.WaitUntilReady(TimeSpan.FromSeconds(60))) throw new TimeoutException("the shared pool's workers did not register");
        WorkerPids = [.. Pool.LocalWorkerProcessIds];
    }

    public Pool Pool { get; }

    /// <summary>The worker processes at the start: tests check the pool still has them (no worker lost).</summary>
    public int[] WorkerPids { get; }

    public void Dispose()
    {
        var pids = Pool.LocalWorkerProcessIds.ToList();
        Pool.Dispose();
        Processes.AssertAllExited(pids);
    }
}

[CollectionDefinition("shared pool")]
public sealed class SharedPoolCollection : ICollectionFixture<SharedPool>;
