namespace ClusterPool;

/// <summary>
/// What the timeouts a caller passes mean, in one place: null or <see cref="Timeout.InfiniteTimeSpan"/> is no limit;
/// any span longer than .NET's waits and timers take (<see cref="int.MaxValue"/> ms, about 24.8 days, e.g.
/// <see cref="TimeSpan.MaxValue"/>) is no limit too, not an overflow; any other negative span is an error that says so.
/// </summary>
internal static class Timeouts
{
    /// <summary>The longest finite span Task.Wait and CancellationTokenSource.CancelAfter both accept.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>A wait (<c>Get</c>, <c>Wait</c>, <c>Next</c>, <c>WaitUntilReady</c>): the span to wait, or null to wait
    /// for ever.</summary>
    public static TimeSpan? ForWait(TimeSpan? timeout, string parameter)
    {
        if (timeout is not { } t || t == Timeout.InfiniteTimeSpan || t > Longest) return null;
        if (t < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(parameter, t,
                $"{parameter} must be TimeSpan.Zero or more, or null or Timeout.InfiniteTimeSpan to wait for ever; " +
                    $"it was {t}");
        return t;
    }

    /// <summary>A task timeout (<c>TaskTimeout</c>): the limit, or <see cref="TimeSpan.Zero"/> for none (null means
    /// none too).</summary>
    public static TimeSpan ForTask(TimeSpan? timeout, string name)
    {
        if (timeout is not { } t || t == Timeout.InfiniteTimeSpan || t > Longest) return TimeSpan.Zero;
        if (t <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(name, t,
                $"{name} must be positive, or null or Timeout.InfiniteTimeSpan for no limit; it was {t}");
        return t;
    }
}
