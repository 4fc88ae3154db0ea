using ClusterPool.Hosts;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// How a pool counts the restarts of a host's worker host (clusterpool.ssh.restarts): the ones in a row, so a run of
/// hours keeps a host that crashes now and then and leaves out one that ends at once every time; a worker host that
/// retired (MaxTasksPerChild) is no restart at all.
/// </summary>
public class RemoteHostRestartsTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class HandClock : TimeProvider
    {
        private long _now;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _now;
        public void Advance(TimeSpan by) => _now += by.Ticks;
    }

    private readonly HandClock _clock = new();
    private readonly RemoteHost _host;

    public RemoteHostRestartsTests() =>
        _host = new RemoteHost(HostSpec.Parse("alice@node1 slots=2"), session: null!, _clock);

    private static StartedHost Started() => new(Channel: null!, Slots: 2, ShippedBytes: 0, ShippedFiles: 0);

    /// <summary>Its worker host runs for <paramref name="runFor"/>, then its session ends.</summary>
    private void RunsAndEnds(TimeSpan runFor)
    {
        var started = Started();
        Assert.True(_host.Running(started));
        _clock.Advance(runFor);
        Assert.True(_host.Ended(started));
    }

    [Fact]
    public void RestartsAfterShortRunsAddUpAndAHostThatRanAMinuteBeginsAgain()
    {
        RunsAndEnds(TimeSpan.FromSeconds(5));
        _host.Restarting("lost");
        RunsAndEnds(TimeSpan.FromSeconds(50));
        _host.Restarting("lost");
        Assert.Equal(2, _host.RestartsInARow);

        RunsAndEnds(RemoteHost.LongRun);
        Assert.Equal(0, _host.RestartsInARow);
        _host.Restarting("lost again, an hour later");
        Assert.Equal(1, _host.RestartsInARow);
        Assert.Equal(3, _host.Status.Restarts); // what the user sees counts them all
    }

    [Fact]
    public void ARetiredWorkerHostIsReplacedWithoutARestart()
    {
        RunsAndEnds(TimeSpan.FromSeconds(1));
        _host.Retired();
        RunsAndEnds(TimeSpan.FromSeconds(1));
        _host.Retired();
        Assert.Equal((0, 0, RemoteHostState.Restarting),
            (_host.RestartsInARow, _host.Status.Restarts, _host.Status.State));
    }

    [Fact]
    public void ASessionThatEndsAfterThePoolBeganToStopIsNoLossAndNoRestart()
    {
        var started = Started();
        Assert.True(_host.Running(started));
        _host.BeginStop();
        Assert.False(_host.Ended(started));
        // A start that failed because the pool stops neither restarts nor replaces it.
        Assert.False(_host.Restarting("stopped"));
        Assert.False(_host.Retired());
        Assert.Equal((0, 0), (_host.RestartsInARow, _host.Status.Restarts));
        Assert.NotEqual(RemoteHostState.Restarting, _host.Status.State);
    }
}
