namespace ClusterPool.Tests.EndToEnd;

/// <summary>Task functions for the dashboard's screenshot run.</summary>
public static class DashboardFunctions
{
    /// <summary>Sleeps |<paramref name="seconds"/>|; a negative duration then fails, as an item with bad data would.</summary>
    public static double SleepOrFail(double seconds)
    {
        Thread.Sleep(TimeSpan.FromSeconds(Math.Abs(seconds)));
        return seconds >= 0 ? seconds : throw new LedgerException($"item of {seconds} s does not balance");
    }
}
