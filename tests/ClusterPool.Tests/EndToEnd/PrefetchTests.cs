using System.Diagnostics;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// A slot holds the long chunk it runs and one prefetched behind it (<c>clusterpool.dispatch.prefetch</c>): the first
/// one's result still reaches the caller when it ends, not when the prefetched one ends too.
/// </summary>
[Collection("shared pool")]
public class PrefetchTests(SharedPool shared)
{
    [Fact]
    public void ALongTasksResultArrivesWhenItEndsNotWhenTheTaskPrefetchedBehindItEnds()
    {
        // Two slots: each gets one to run and one to prefetch. The 0.1 s item has a 1.5 s one behind it on its slot.
        var clock = Stopwatch.StartNew();
        using var results = shared.Pool.IMapUnordered(TestFunctions.Sleep, [0.1, 1.5, 1.5, 1.5], chunksize: 1);
        using var each = results.GetEnumerator();
        Assert.True(each.MoveNext());
        var first = clock.Elapsed;
        Assert.Equal(0.1, each.Current.Seconds);
        // Held in the worker's outbox behind the prefetched item, it came after 1.6 s.
        Assert.True(first < TimeSpan.FromSeconds(1), $"the first result came after {first.TotalSeconds:0.00} s");
        while (each.MoveNext()) { }
    }
}
