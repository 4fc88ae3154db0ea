using ClusterPool.Workers;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>Spares start only on mostly idle cores: two samples in a row under a third of the machine's CPU time.</summary>
public class IdleCpuWatchTests
{
    [Fact]
    public void BusyCoresAreNotIdleAndIdleOnesAreAfterTwoSamples()
    {
        var watch = new IdleCpuWatch(() => TimeSpan.Zero);
        using var busy = new CancellationTokenSource();
        // Every core of this machine spins: not idle, however often asked.
        var spinners = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Factory.StartNew(() =>
        {
            while (!busy.IsCancellationRequested) Thread.SpinWait(1000);
        }, TaskCreationOptions.LongRunning)).ToArray();
        for (var i = 0; i < 3; i++)
        {
            Thread.Sleep(200);
            Assert.False(watch.IsIdle(), $"sample {i}: spinning cores counted as idle");
        }
        busy.Cancel();
        Task.WaitAll(spinners);

        Thread.Sleep(300);
        Assert.False(watch.IsIdle()); // one idle sample is a pause, not idleness
        Wait.For(() => { Thread.Sleep(300); return watch.IsIdle(); }, TimeSpan.FromSeconds(10),
            "an idle machine to count as idle");
    }
}
