using ClusterPool.Dashboard;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>The dashboard's chart data (<see cref="ThroughputHistory"/>), fed times and counters by hand.</summary>
public class DashboardHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static PoolStatistics Counters(long done, long failed = 0, long rerun = 0, int lost = 0) =>
        new(Slots: 2, WorkersLost: lost, HostsUnreachable: 0, ChunksRequeued: 0) { ItemsDone = done, ItemsFailed = failed, ItemsRerun = rerun };

    [Fact]
    public void TheFirstRecordIsTheBaselineAndEachLaterOneAddsWhatItsIntervalFinished()
    {
        var history = new ThroughputHistory(TimeSpan.FromMinutes(10));
        history.Record(Start, Counters(100));
        Assert.Empty(history.Samples());

        history.Record(Start.AddSeconds(1), Counters(120, failed: 2));
        history.Record(Start.AddSeconds(3), Counters(150, failed: 2, rerun: 4, lost: 1));
        var samples = history.Samples();
        Assert.Equal(2, samples.Count);
        Assert.Equal(new ThroughputSample(Start.AddSeconds(1), 22, 20, 2, 0, 0), samples[0]); // done and failed both finished
        Assert.Equal(new ThroughputSample(Start.AddSeconds(3), 15, 30, 0, 4, 1), samples[1]); // 30 items over 2 s
    }

    [Fact]
    public void SamplesOlderThanTheLengthAreDropped()
    {
        var history = new ThroughputHistory(TimeSpan.FromSeconds(10));
        for (var second = 0; second <= 30; second++) history.Record(Start.AddSeconds(second), Counters(second * 5));
        var samples = history.Samples();
        Assert.Equal(Start.AddSeconds(20), samples[0].Time);
        Assert.Equal(Start.AddSeconds(30), samples[^1].Time);
        Assert.Equal(11, samples.Count);
        Assert.All(samples, s => Assert.Equal(5, s.ItemsPerSecond));
    }

    [Fact]
    public void ATimeNotAfterTheLastAndCountersThatWentBackAddNothingNegative()
    {
        var history = new ThroughputHistory(TimeSpan.FromMinutes(1));
        history.Record(Start, Counters(10));
        history.Record(Start, Counters(50)); // same instant: no interval to divide by
        history.Record(Start.AddSeconds(-1), Counters(60)); // the clock stepped back
        Assert.Empty(history.Samples());
        history.Record(Start.AddSeconds(1), Counters(5));
        Assert.Equal(new ThroughputSample(Start.AddSeconds(1), 0, 0, 0, 0, 0), Assert.Single(history.Samples()));
    }

    [Fact]
    public void AHistoryOfNoLengthIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThroughputHistory(TimeSpan.Zero));
}
