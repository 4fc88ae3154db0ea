namespace ClusterPool.Tests.EndToEnd;

/// <summary>A rate table of the kind a batch shares with every task: a curve per currency.</summary>
public sealed record RateTable(Dictionary<string, double[]> Curves, string Source);

/// <summary>The tasks of <see cref="ShareTests"/>: each reads what the program shared.</summary>
public static class ShareFunctions
{
    public static double RateAt(Shared<RateTable> table, string currency, int tenor) =>
        table.Value.Curves[currency][tenor];

    /// <summary>The sum of a slice of a shared array, and the pid that read it.</summary>
    public static (double Sum, int Pid) SliceSum(SharedArray<double> prices, int start, int count)
    {
        var sum = 0.0;
        foreach (var price in prices.Span.Slice(start, count)) sum += price;
        return (sum, Environment.ProcessId);
    }

    public static int Length(SharedArray<double> prices) => prices.Length;

    /// <summary>Whether the handle, read twice, gives the very same object: a process reads a value once.</summary>
    public static bool SameObjectTwice(Shared<RateTable> table) => ReferenceEquals(table.Value, table.Value);
}

/// <summary>The tasks of <see cref="ShareAcrossMachinesTests"/>.</summary>
public static class ShareAcrossMachinesFunctions
{
    /// <summary>The sum of a slice of a shared array after a pause (so that every process gets tasks), and the pid that
    /// read it.</summary>
    public static (double Sum, int Pid) SlowSliceSum(SharedArray<double> prices, int start, int count)
    {
        Thread.Sleep(100);
        return ShareFunctions.SliceSum(prices, start, count);
    }
}
