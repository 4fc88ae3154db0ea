using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// The meter and the activity source <c>ClusterPool</c> reach OpenTelemetry exactly as the README's lines export them
/// (here to memory instead of the console).
/// </summary>
public class TelemetryTests
{
    [Fact]
    public void OpenTelemetryGetsASpanPerCallAndTheCountersHistogramAndGauges()
    {
        var spans = new List<Activity>();
        var metrics = new List<MetricSnapshot>();
        using (var traces = Sdk.CreateTracerProviderBuilder().AddSource("ClusterPool").AddInMemoryExporter(spans).Build())
        using (var meters = Sdk.CreateMeterProviderBuilder().AddMeter("ClusterPool").AddInMemoryExporter(metrics).Build())
        {
            using var pool = Pool.Start(new PoolOptions { Processes = 2 });
            // Both registered before the calls: the gauge of slots is read at the export below, and a worker adopted from
            // the spares of an earlier test finishes these calls before a freshly started one has even registered.
            Assert.True(pool.WaitUntilReady(TimeSpan.FromSeconds(60)));
            using (var parent = new ActivitySource("ClusterPool.Tests.Caller").StartActivity("caller"))
            {
                Assert.Equal(Enumerable.Range(0, 50).Select(x => x * x), pool.Map(TestFunctions.Square, Enumerable.Range(0, 50)));
                Assert.Throws<LedgerException>(() => pool.Map(TestFunctions.FailOnThree, Enumerable.Range(0, 5)));
                Assert.Equal(7, pool.Apply(TestFunctions.Add, 3, 4));
                Assert.Equal([3], pool.StarMap(TestFunctions.Add, [(1, 2)]));
            }
            meters.ForceFlush();
            traces.ForceFlush();
        }

        Assert.Equal(["ClusterPool.Map", "ClusterPool.Map", "ClusterPool.Apply", "ClusterPool.StarMap"], spans.Select(s => s.DisplayName));
        var map = spans[0];
        Assert.EndsWith("TestFunctions.Square", (string)map.GetTagItem("clusterpool.function")!);
        Assert.Equal((50L, 50L, 0L), ((long)map.GetTagItem("clusterpool.items")!, (long)map.GetTagItem("clusterpool.items.done")!,
            (long)map.GetTagItem("clusterpool.items.failed")!));
        Assert.Equal(ActivityStatusCode.Ok, map.Status);
        Assert.Equal(ActivityStatusCode.Error, spans[1].Status);
        Assert.Contains("LedgerException", spans[1].StatusDescription);
        Assert.Equal(1L, (long)spans[1].GetTagItem("clusterpool.items.failed")!);

        // Each export holds the running totals (cumulative): the last one says it all.
        MetricSnapshot Last(string name) => metrics.Last(m => m.Name == name);
        long Sum(string name) => Last(name).MetricPoints.Sum(p => p.GetSumLong());
        Assert.Equal(50 + 4 + 1 + 1, Sum("clusterpool.items.done"));
        Assert.Equal(1, Sum("clusterpool.items.failed"));
        Assert.Equal(50 + 5 + 1 + 1, Last("clusterpool.task.duration").MetricPoints.Sum(p => p.GetHistogramCount()));
        Assert.Contains(metrics, m => m.Name == "clusterpool.slots.busy");
        Assert.Equal(2, metrics.Where(m => m.Name == "clusterpool.slots").SelectMany(m => m.MetricPoints).Max(p => p.GetGaugeLastValueLong()));
        Assert.Contains(metrics, m => m.Name == "clusterpool.queue.depth");
    }
}
