namespace ClusterPool.Dashboard;

/// <summary>
/// The dashboard's chart data: the pool's counters, sampled at intervals (<see cref="Record"/>), turned into what each
/// interval added (items finished per second, failures, re-runs, lost workers), for the last <c>length</c> of time.
/// Thread-safe; knows no clock and no pool, so tests feed it times and counters.
/// </summary>
internal sealed class ThroughputHistory
{
    private readonly Queue<ThroughputSample> _samples = new();
    private readonly TimeSpan _length;
    private (DateTimeOffset Time, long Done, long Failed, long Rerun, int WorkersLost)? _last;

    /// <summary>A history that keeps the samples of the last <paramref name="length"/>.</summary>
    public ThroughputHistory(TimeSpan length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(length, TimeSpan.Zero);
        _length = length;
    }

    /// <summary>How far back the samples go.</summary>
    public TimeSpan Length => _length;

    /// <summary>
    /// Takes the counters at <paramref name="time"/>: the first call sets the baseline, each later one adds a sample
    /// for the interval since the one before. A time not after the last one is ignored (a clock that stepped back).
    /// </summary>
    public void Record(DateTimeOffset time, PoolStatistics statistics)
    {
        lock (_samples)
        {
            var now = (time, statistics.ItemsDone, statistics.ItemsFailed, statistics.ItemsRerun,
                statistics.WorkersLost);
            if (_last is not { } last)
            {
                _last = now;
                return;
            }
            var seconds = (time - last.Time).TotalSeconds;
            if (seconds <= 0) return;
            // The counters only grow; Max guards the chart against a pool that was replaced under the same history.
            var done = Math.Max(0, now.ItemsDone - last.Done);
            var failed = Math.Max(0, now.ItemsFailed - last.Failed);
            _samples.Enqueue(new ThroughputSample(time, (done + failed) / seconds, done, failed,
                Math.Max(0, now.ItemsRerun - last.Rerun), Math.Max(0, now.WorkersLost - last.WorkersLost)));
            _last = now;
            while (_samples.TryPeek(out var oldest) && time - oldest.Time > _length) _samples.Dequeue();
        }
    }

    /// <summary>The samples kept, oldest first.</summary>
    public List<ThroughputSample> Samples()
    {
        lock (_samples) return [.. _samples];
    }
}
