using ClusterPool.Workers;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// A pool launches its first workers, and its spares, several at once on threads of its own: Parallel.For's helpers
/// wait for free thread-pool threads, and in a program whose thread pool is busy (a web app, a test host) the caller ran
/// every launch alone, one after another (a launch takes seconds under Wine).
/// </summary>
public class OwnThreadsTests
{
    [Fact]
    public void RunsSeveralAtOnceWhileTheThreadPoolHasNoFreeThread()
    {
        using var release = new ManualResetEventSlim();
        // More work items than the thread pool has threads, each holding the thread it gets: anything queued after them
        // waits until .NET has added a thread for each.
        ThreadPool.GetMinThreads(out var least, out _);
        var holders = Enumerable.Range(0, ThreadPool.ThreadCount + least + 16)
            .Select(_ => Task.Run(() => release.Wait())).ToArray();
        try
        {
            var (ran, now, most) = (0, 0, 0);
            OwnThreads.For(6, 3, () =>
            {
                var running = Interlocked.Increment(ref now);
                InterlockedMax(ref most, running);
                Thread.Sleep(200);
                Interlocked.Decrement(ref now);
                Interlocked.Increment(ref ran);
            });
            Assert.Equal(6, ran);
            Assert.Equal(3, most); // Parallel.For: 1
        }
        finally
        {
            release.Set();
            Task.WaitAll(holders);
        }
    }

    [Fact]
    public void AfterARunThrowsNoNewRunStartsAndTheCallerGetsTheException()
    {
        var ran = 0;
        var thrown = Assert.Throws<AggregateException>(() => OwnThreads.For(10, 1, () =>
        {
            if (Interlocked.Increment(ref ran) == 2) throw new InvalidOperationException("the second run failed");
        }));
        Assert.Equal(2, ran);
        Assert.Equal("the second run failed", Assert.Single(thrown.InnerExceptions).Message);
    }

    private static void InterlockedMax(ref int most, int value)
    {
        for (var seen = Volatile.Read(ref most); value > seen; seen = Volatile.Read(ref most))
            if (Interlocked.CompareExchange(ref most, value, seen) == seen) return;
    }
}
