namespace ClusterPool.Bench;

/// <summary>
/// The resilience suite's tasks. Each leaves a file in a folder the bench names, because what the bench must know
/// happens in a worker process that then dies: which process started an item, and which items ran.
/// </summary>
public static class ResilienceWorkloads
{
    /// <summary>
    /// Leaves a file named after this process in <c>call.Dir</c> as it starts (so the bench can find and kill the
    /// process running it), sleeps <c>call.Millis</c>, then returns when it started (Unix ms) and in which process.
    /// </summary>
    public static (long StartUnixMs, int Pid) AnnounceThenSleep((string Dir, int Millis) call)
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        File.WriteAllText(Path.Combine(call.Dir, $"{Environment.ProcessId}"), $"{start}");
        Thread.Sleep(call.Millis);
        return (start, Environment.ProcessId);
    }

    /// <summary>
    /// <see cref="Workloads.DieOn"/>(x, bad), which also leaves a file named <c>x</c> in <c>call.Dir</c> once it has run, so
    /// the bench can tell which items ran even when the call fails and returns none of their results.
    /// </summary>
    public static int DieOnRecorded((string Dir, int X, int Bad) call)
    {
        var result = Workloads.DieOn(call.X, call.Bad);
        File.WriteAllText(Path.Combine(call.Dir, $"{call.X}"), "");
        return result;
    }
}
