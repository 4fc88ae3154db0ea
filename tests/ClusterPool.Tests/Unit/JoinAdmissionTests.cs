using ClusterPool.Workers;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>Starting workers join a few at a time, and only once the pool listens.</summary>
public class JoinAdmissionTests
{
    private readonly HashSet<int> _alive = [];

    private JoinAdmission<int> Make(int atOnce) => new(atOnce, id => _alive.Contains(id) ? id : null);

    private IReadOnlyList<int> Start(JoinAdmission<int> admission, int id)
    {
        _alive.Add(id);
        return admission.Started(id);
    }

    [Fact]
    public void NobodyIsToldBeforeThePoolListensThenTheFirstFew()
    {
        var admission = Make(atOnce: 2);
        Assert.Empty(Start(admission, 1));
        Assert.Empty(Start(admission, 2));
        Assert.Empty(Start(admission, 3));
        Assert.Equal([1, 2], admission.Listening());
        Assert.Empty(Start(admission, 4)); // two are joining already
    }

    [Fact]
    public void ARegisteredOrExitedWorkerLetsTheNextOneJoinInOrder()
    {
        var admission = Make(atOnce: 1);
        admission.Listening();
        Assert.Equal([1], Start(admission, 1));
        Start(admission, 2);
        Start(admission, 3);
        Assert.Equal([2], admission.Done(1)); // 1 registered
        Assert.Equal([3], admission.Done(2)); // 2 exited before registering
        Assert.Empty(admission.Done(3));
        Assert.Equal(0, admission.Joining);
        Assert.Equal([4], Start(admission, 4)); // a replacement later joins at once
    }

    [Fact]
    public void AWorkerThatExitedWhileWaitingIsSkipped()
    {
        var admission = Make(atOnce: 1);
        admission.Listening();
        Start(admission, 1);
        Start(admission, 2);
        Start(admission, 3);
        _alive.Remove(2);
        Assert.Equal([3], admission.Done(1));
    }
}
