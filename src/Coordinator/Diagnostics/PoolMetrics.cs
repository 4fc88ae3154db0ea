using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ClusterPool.Diagnostics;

/// <summary>
/// The meter <c>ClusterPool</c> (System.Diagnostics.Metrics), which OpenTelemetry and <c>dotnet-counters</c> read:
/// items done, failed and re-run, workers lost, a task duration histogram, and per pool the queue depth and busy slots.
/// Counters cost nothing while no listener is attached.
/// </summary>
internal static class PoolMetrics
{
    /// <summary>The meter's name: <c>AddMeter("ClusterPool")</c>.</summary>
    public const string Name = "ClusterPool";

    private static readonly Meter Meter = new(Name, typeof(PoolMetrics).Assembly.GetName().Version?.ToString());
    private static readonly ConcurrentDictionary<Pool, string> Pools = new();

    public static readonly Counter<long> ItemsDone = Meter.CreateCounter<long>(
        "clusterpool.items.done", "{item}", "Items whose results arrived");
    public static readonly Counter<long> ItemsFailed = Meter.CreateCounter<long>(
        "clusterpool.items.failed", "{item}", "Items that failed");
    public static readonly Counter<long> ItemsRerun = Meter.CreateCounter<long>(
        "clusterpool.items.rerun", "{item}", "Items run again after their worker was lost");
    public static readonly Counter<long> WorkersLost = Meter.CreateCounter<long>(
        "clusterpool.workers.lost", "{process}", "Worker processes lost while running");
    public static readonly Histogram<double> TaskDuration = Meter.CreateHistogram<double>(
        "clusterpool.task.duration", "s", "Time one item took on its worker");

    static PoolMetrics()
    {
        Meter.CreateObservableGauge("clusterpool.queue.depth", () => Observe(s => s.QueuedItems), "{item}",
            "Items waiting for a slot");
        Meter.CreateObservableGauge("clusterpool.slots.busy", () => Observe(s => (long)s.BusySlots), "{slot}",
            "Slots running or holding work");
        Meter.CreateObservableGauge("clusterpool.slots", () => Observe(s => (long)s.Slots), "{slot}",
            "Slots registered");
    }

    /// <summary>A pool the gauges report on, tagged with its address, until <see cref="Forget"/>.</summary>
    public static void Watch(Pool pool) => Pools[pool] = pool.Address;

    public static void Forget(Pool pool) => Pools.TryRemove(pool, out _);

    /// <summary>Records the items of one finished chunk: <paramref name="items"/> items in <paramref name="seconds"/>
    /// seconds.</summary>
    public static void RecordChunk(int items, double seconds)
    {
        if (!TaskDuration.Enabled || items <= 0) return;
        var each = seconds / items;
        for (var i = 0; i < items; i++) TaskDuration.Record(each);
    }

    private static IEnumerable<Measurement<long>> Observe(Func<PoolStatistics, long> read)
    {
        foreach (var (pool, address) in Pools)
            yield return new Measurement<long>(read(pool.Statistics), new KeyValuePair<string,
                object?>("clusterpool.pool", address));
    }
}
