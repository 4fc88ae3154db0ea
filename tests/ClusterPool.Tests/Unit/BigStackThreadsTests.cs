using ClusterPool.Contracts.Serialization;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// Payloads over 16 KiB are read on a thread with a big stack (<see cref="BigStackThreads"/>): one kept for the next
/// read, since starting a thread took longer than reading a payload of a few dozen kilobytes.
/// </summary>
public class BigStackThreadsTests
{
    [ThreadStatic] private static string? _mark;

    [Fact]
    public void TheNextWorkRunsOnTheThreadTheLastOneUsed()
    {
        var first = BigStackThreads.Run(() =>
        {
            _mark = "ran here before";
            return Environment.CurrentManagedThreadId;
        });
        var (second, mark) = BigStackThreads.Run(() => (Environment.CurrentManagedThreadId, _mark));
        Assert.NotEqual(Environment.CurrentManagedThreadId, first);
        Assert.Equal(first, second);
        Assert.Equal("ran here before", mark);
    }

    [Fact]
    public void ItsStackHoldsWhatAnOrdinaryThreadsCannot()
    {
        // ~1,000,000 frames: far past the 1.5-8 MiB of an ordinary thread's stack.
        Assert.Equal(1_000_000, BigStackThreads.Run(() => Depth(1_000_000)));
    }

    [Fact]
    public void AnExceptionReachesTheCallerAsItWasThrown()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            BigStackThreads.Run<int>(() => throw new InvalidDataException("a damaged payload")));
        Assert.Equal("a damaged payload", error.Message);
        Assert.Equal(7, BigStackThreads.Run(() => 7)); // and the thread serves the next work
    }

    [Fact]
    public void CallersAtOnceEachGetAThread()
    {
        using var together = new Barrier(4);
        var threads = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() => BigStackThreads.Run(() =>
        {
            Assert.True(together.SignalAndWait(TimeSpan.FromSeconds(20)), "the four works did not run at once");
            return Environment.CurrentManagedThreadId;
        }), TaskCreationOptions.LongRunning)).ToArray();
        Assert.True(Task.WaitAll(threads, TimeSpan.FromSeconds(30)));
        Assert.Equal(4, threads.Select(t => t.Result).Distinct().Count());
    }

    private static int Depth(int levels) => levels == 0 ? 0 : 1 + Depth(levels - 1);
}
