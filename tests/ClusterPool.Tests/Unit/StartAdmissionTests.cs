using ClusterPool.Workers;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>A few workers start at a time, the next as one registers or exits; started ones join once the pool listens.</summary>
public class StartAdmissionTests
{
    [Fact]
    public void OnlyAFewStartAtOnceAndEachRegistrationLetsTheNextStart()
    {
        var admission = new StartAdmission<string>(startingAtOnce: 2);
        Assert.Equal(2, admission.Want(5));
        admission.Started("a");
        admission.Started("b");
        Assert.Equal(3, admission.Queued);
        Assert.Equal(1, admission.Registered("a"));
        admission.Started("c");
        Assert.Equal(0, admission.Registered("a")); // counted once
        Assert.Equal(1, admission.Exited("b", wasStarted: true)); // one that exits before it registers frees its place too
        admission.Started("d");
        Assert.Equal(2, admission.Starting);
        Assert.Equal(1, admission.Queued);
    }

    [Fact]
    public void OneThatStartsFirstStartsAloneAndTheRestFollowWhenItRegisters()
    {
        var admission = new StartAdmission<string>(startingAtOnce: 4);
        admission.StartOneFirst();
        Assert.Equal(1, admission.Want(3));
        admission.Started("a");
        Assert.Equal(0, admission.Launchable());
        Assert.Equal(2, admission.Registered("a"));

        var failed = new StartAdmission<string>(startingAtOnce: 4);
        failed.StartOneFirst();
        Assert.Equal(1, failed.Want(3));
        Assert.Equal(2, failed.LaunchFailed()); // the one alone could not start: no reason to hold the others back
    }

    [Theory]
    [InlineData(3, 2, 0, true)]
    [InlineData(2, 2, 0, true)] // the pool's own process is the third
    [InlineData(1, 2, 0, false)] // nothing to go ahead of
    [InlineData(3, 4, 0, false)] // a core each
    [InlineData(3, 2, 1, false)] // a spare is up already
    public void OneStartsFirstOnlyWhereTheProcessesOutnumberTheCoresAndNoSpareWaits(
        int processes, int cores, int sparesWaiting, bool oneFirst) =>
        Assert.Equal(oneFirst, StartAdmission<string>.ShouldStartOneFirst(processes, cores, sparesWaiting));

    [Fact]
    public void NobodyJoinsBeforeThePoolListensThenEveryStartedOneAndLaterOnesAtOnce()
    {
        var admission = new StartAdmission<string>(startingAtOnce: 3);
        admission.Want(4);
        Assert.Empty(admission.Started("a"));
        Assert.Empty(admission.Started("b"));
        admission.Exited("b", wasStarted: true);
        Assert.Equal(["a"], admission.Listening()); // b exited meanwhile
        Assert.Equal(["c"], admission.Started("c"));
    }

    [Fact]
    public void AFailedLaunchFreesItsPlaceAndReplacementsWaitForOne()
    {
        var admission = new StartAdmission<string>(startingAtOnce: 1);
        Assert.Equal(1, admission.Want(2));
        Assert.Equal(1, admission.LaunchFailed()); // the queued one gets the place
        admission.Started("a");
        Assert.Equal(0, admission.Want(1)); // a replacement: no place yet
        Assert.Equal(1, admission.Registered("a"));
    }

    [Fact]
    public void AnExitSeenBeforeItsStartIsNotCountedAsStarting()
    {
        var admission = new StartAdmission<string>(startingAtOnce: 1);
        admission.Want(2);
        Assert.Equal(0, admission.Exited("a", wasStarted: false)); // its launch has not returned yet: the place stays taken
        Assert.Empty(admission.Started("a"));
        Assert.Equal(0, admission.Starting);
        Assert.Equal(1, admission.Launchable()); // the place is free for the queued one
    }
}
