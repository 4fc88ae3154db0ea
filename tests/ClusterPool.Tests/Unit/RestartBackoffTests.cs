using ClusterPool.Workers;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>When a local worker's replacement waits (<see cref="RestartBackoff"/>).</summary>
public class RestartBackoffTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromMilliseconds(300);

    [Fact]
    public void WorkersThatDieBeforeRegisteringAreReplacedLaterAndLater()
    {
        var backoff = new RestartBackoff();
        var waits = Enumerable.Range(0, 8).Select(_ => backoff.OnExit(registered: false, Quick).TotalSeconds).ToList();
        Assert.Equal([0, 0, 0, 0, 0, 1, 2, 3], waits);
        Assert.Equal(TimeSpan.Zero, backoff.OnExit(registered: true, Quick)); // one worked: the count starts again
        Assert.Equal(TimeSpan.Zero, backoff.OnExit(registered: false, Quick));
    }

    [Fact]
    public void AWorkerThatRegisteredNeverDelaysItsReplacementHoweverShortItsLife()
    {
        // MaxTasksPerChild = 1: each worker retires after one task, well within a second of its start.
        var backoff = new RestartBackoff();
        Assert.All(Enumerable.Range(0, 40), _ => Assert.Equal(TimeSpan.Zero, backoff.OnExit(registered: true, Quick)));
    }

    [Fact]
    public void AnUnregisteredWorkerThatLivedAWhileDidNotFailAtOnce()
    {
        var backoff = new RestartBackoff();
        for (var i = 0; i < 5; i++) backoff.OnExit(registered: false, Quick);
        Assert.Equal(TimeSpan.Zero, backoff.OnExit(registered: false, RestartBackoff.Soon));
        Assert.Equal(TimeSpan.Zero, backoff.OnExit(registered: false, Quick));
    }
}
