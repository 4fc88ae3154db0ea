using System.Diagnostics;
using Akka.Actor;
using ClusterPool.Dispatch;

namespace ClusterPool;

/// <summary>
/// Reads a pool's <see cref="PoolStatistics"/>: its counters, kept where every thread reads them, and what only the
/// coordinator knows (busy slots, queue, running calls, hosts), asked of it without holding a thread, at most every
/// 20 ms: a caller that polls in a tight loop must not flood it.
/// </summary>
internal sealed class PoolStatisticsReader(StartedPool parts)
{
    private static readonly TimeSpan AskAtMostEvery = TimeSpan.FromMilliseconds(20);
    private Asked? _last;

    /// <summary>The pool now; after it stopped, its last counters.</summary>
    public async Task<PoolStatistics> ReadAsync(CancellationToken cancellationToken = default)
    {
        var counters = parts.Status.Snapshot();
        if (parts.State.IsTerminated) return counters;
        var last = Volatile.Read(ref _last);
        var asked = last?.Statistics;
        if (last is null || Stopwatch.GetElapsedTime(last.At) > AskAtMostEvery)
        {
            try
            {
                asked = await parts.Coordinator.Ask<PoolStatistics>(
                    PoolCoordinator.GetStatistics.Instance, TimeSpan.FromSeconds(5),
                    cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _last, new Asked(asked, Stopwatch.GetTimestamp()));
            }
            catch (AskTimeoutException) { } // stopping, or too busy to answer: the counters still hold
        }
        return asked is null ? counters : counters with
        {
            BusySlots = asked.BusySlots, QueuedItems = asked.QueuedItems, RunningCalls = asked.RunningCalls,
                Hosts = asked.Hosts,
        };
    }

    private sealed record Asked(PoolStatistics Statistics, long At);
}
