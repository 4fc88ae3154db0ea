using Xunit;
using Xunit.Sdk;

namespace ClusterPool.Tests.Unit;

/// <summary>The tests' shared <see cref="Wait"/>: returns as soon as its condition holds, else fails saying why.</summary>
public class WaitTests
{
    [Fact]
    public void ReturnsOnceTheConditionHoldsAndTheValueThatMadeItHold()
    {
        var polls = 0;
        Wait.For(() => ++polls == 3, TimeSpan.FromSeconds(5));
        Assert.Equal(3, polls);
        var count = 0;
        Assert.Equal(5, Wait.For(() => ++count, n => n >= 5, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void FailsNamingWhatItWaitedForOrTheConditionAndTheLastValueSeen()
    {
        var named = Assert.Throws<XunitException>(() => Wait.For(() => false, TimeSpan.FromMilliseconds(50), "the moon"));
        Assert.Equal("waited 0.05 s for the moon, in vain", named.Message);
        var never = false;
        var unnamed = Assert.Throws<XunitException>(() => Wait.For(() => never, TimeSpan.FromMilliseconds(50)));
        Assert.Equal("waited 0.05 s for () => never, in vain", unnamed.Message);
        var seen = Assert.Throws<XunitException>(() =>
            Wait.For(() => new List<int> { 1, 2 }, pids => pids.Count == 0, TimeSpan.FromMilliseconds(50), "no process"));
        Assert.Equal("waited 0.05 s for no process, in vain; last seen: [1, 2]", seen.Message);
    }
}
