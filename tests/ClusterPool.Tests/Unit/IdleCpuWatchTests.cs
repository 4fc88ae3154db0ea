using ClusterPool.Workers;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// Spares start only on mostly idle cores: two samples in a row under a third of the machine's CPU time. Driven by
/// made-up samples (a test that spun and then waited for this machine to be idle failed whenever the rest of the suite
/// kept it busy), and the machine's own counters read once.
/// </summary>
public class IdleCpuWatchTests
{
    /// <summary>Samples of CPU time: each call moves on by one step of <paramref name="busyShares"/> (the share of
    /// 100 units of time used), then stays at the last.</summary>
    private static Func<(double Busy, double Total)> Samples(params double[] busyShares)
    {
        var (busy, total, step) = (0.0, 0.0, -1);
        return () =>
        {
            if (step >= 0) (busy, total) = (busy + 100 * busyShares[Math.Min(step, busyShares.Length - 1)], total + 100);
            step++;
            return (busy, total);
        };
    }

    [Fact]
    public void BusyCoresAreNotIdleAndIdleOnesAreAfterTwoSamples()
    {
        var watch = new IdleCpuWatch(() => TimeSpan.Zero, idleBelow: 0.35, Samples(1, 0.9, 0.5, 0.1, 0.6, 0.2, 0.3));
        Assert.False(watch.IsIdle()); // all cores busy
        Assert.False(watch.IsIdle());
        Assert.False(watch.IsIdle()); // one busy core of two is not idle
        Assert.False(watch.IsIdle()); // one idle sample is a pause, not idleness
        Assert.False(watch.IsIdle()); // and busy again
        Assert.False(watch.IsIdle());
        Assert.True(watch.IsIdle()); // two in a row under 35 %
    }

    /// <summary>idle-below = 1: spares start whatever else runs (after two samples, as ever).</summary>
    [Fact]
    public void AtAShareOfOneBusyCoresCountAsIdleToo()
    {
        var watch = new IdleCpuWatch(() => TimeSpan.Zero, idleBelow: 1, Samples(1));
        Assert.False(watch.IsIdle()); // one sample is not enough
        Assert.True(watch.IsIdle());
    }

    [Fact]
    public void ThisMachinesCountersAreRead()
    {
        if (!OperatingSystem.IsLinux()) return;
        var (busy, total) = IdleCpuWatch.ReadProcStat() ?? throw new Xunit.Sdk.XunitException("/proc/stat unread");
        Assert.InRange(busy, 0, total);
        Assert.True(total > 0);
    }
}
