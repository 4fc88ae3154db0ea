using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// Many local workers start a few at a time (<c>clusterpool.local-workers.starting-per-core</c>): at no moment are more
/// worker processes running unregistered than that, and every one of them still comes.
/// </summary>
public class OrderlyStartTests
{
    [Fact]
    public void NoMoreThanAFewWorkersAreStartingAtAnyMomentAndAllOfThemRegister()
    {
        var atOnce = Math.Max(2, Environment.ProcessorCount); // one per core, at least two
        var processes = atOnce + 4;
        var mostStarting = 0;
        using (var pool = Pool.Start(new PoolOptions { Processes = processes, Config = "clusterpool.local-workers.starting-per-core = 1" }))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (pool.Slots < processes && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                // Read registrations first: a worker that registers between the two reads is counted as registered.
                var registered = pool.Slots;
                mostStarting = Math.Max(mostStarting, pool.LocalWorkerProcessIds.Count - registered);
                Thread.Sleep(10);
            }
            Assert.Equal(processes, pool.Slots);
            Assert.Equal(processes * 2, pool.Map(TestFunctions.Square, Enumerable.Range(0, processes * 2), chunksize: 1).Count());
        }
        Assert.InRange(mostStarting, 1, atOnce);
    }

}
