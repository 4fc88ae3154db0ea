using Akka.Actor;
using ClusterPool.Dispatch;
using Xunit;
using Exit = ClusterPool.Dispatch.PoolCoordinator.WorkerProcessExited;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// The bookkeeping of local worker exits that wait for their connection to close (<see cref="ExitsInFlight"/>), on a
/// clock the tests move: no actor system.
/// </summary>
public sealed class ExitsInFlightTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);
    private static readonly Address A = new("akka.tcp", "clusterpool", "127.0.0.1", 40001);
    private static readonly Address B = new("akka.tcp", "clusterpool", "127.0.0.1", 40002);

    private TimeSpan _now = TimeSpan.FromHours(1);
    private readonly ExitsInFlight _exits;

    public ExitsInFlightTests() => _exits = new ExitsInFlight(Window, () => _now);

    private static Exit ExitOf(int pid) => new(pid, 137, []);

    [Fact]
    public void AnExitWaitsForItsConnectionAndTheCloseReleasesIt()
    {
        Assert.True(_exits.MustWait(A, ExitOf(1)));
        Assert.Empty(_exits.Closed(B, local: true));
        Assert.Equal([1], _exits.Closed(A, local: true).Select(e => e.Pid));
        Assert.Null(_exits.Expired(1)); // released once
    }

    [Fact]
    public void AnExitJustAfterItsConnectionClosedNeedNotWait()
    {
        Assert.Empty(_exits.Closed(A, local: true));
        _now += TimeSpan.FromMilliseconds(50);
        Assert.False(_exits.MustWait(A, ExitOf(1)));
    }

    [Fact]
    public void AnOldCloseDoesNotSpeakForALaterExit()
    {
        // A connection that dropped and came back, or a close that came from an earlier process at that address: the
        // process exits much later, and what it sent last must still be read.
        Assert.Empty(_exits.Closed(A, local: true));
        _now += TimeSpan.FromMinutes(5);
        Assert.True(_exits.MustWait(A, ExitOf(1)));
    }

    [Fact]
    public void ACloseWhereNoLocalWorkerTalksIsNotKept()
    {
        Assert.Empty(_exits.Closed(A, local: false));
        Assert.True(_exits.MustWait(A, ExitOf(1)));
    }

    [Fact]
    public void ARegistrationAtAnAddressForgetsItsEarlierClose()
    {
        Assert.Empty(_exits.Closed(A, local: true));
        _exits.Registered(A); // a new process took the port
        Assert.True(_exits.MustWait(A, ExitOf(2)));
    }

    [Fact]
    public void TwoExitsAtOneAddressBothWaitAndBothAreReleased()
    {
        // A replacement bound the port its predecessor had; both exited before either connection's close was heard.
        Assert.True(_exits.MustWait(A, ExitOf(1)));
        Assert.True(_exits.MustWait(A, ExitOf(2)));
        Assert.Equal([1, 2], _exits.Closed(A, local: true).Select(e => e.Pid).Order());
    }

    [Fact]
    public void EachExitHasItsOwnDeadline()
    {
        Assert.True(_exits.MustWait(A, ExitOf(1)));
        Assert.True(_exits.MustWait(A, ExitOf(2)));
        Assert.Equal(1, _exits.Expired(1)?.Pid);
        Assert.Equal(2, _exits.Expired(2)?.Pid);
        Assert.Empty(_exits.Closed(A, local: true));
    }

    [Fact]
    public void AProcessThatExitedBeforeItsRegistrationWasReadIsGoneForAWhile()
    {
        Assert.False(_exits.IsGone(7));
        _exits.ExitedUnregistered(7);
        Assert.True(_exits.IsGone(7));
        _now += ExitsInFlight.UnregisteredMemory + TimeSpan.FromSeconds(1);
        Assert.False(_exits.IsGone(7)); // a pid can come back with another process, much later
    }
}
