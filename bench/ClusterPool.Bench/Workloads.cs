using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// The work every benchmark runs: the same functions, with the same arguments, as
/// <c>bench/python/workloads.py</c>. The seed's <c>sleep_task</c> is <see cref="Demo.DemoTasks.SleepTask"/>.
/// They are static methods because a worker process re-creates a function from its name, as Python's pickle does.
/// </summary>
public static class Workloads
{
    /// <summary>A large item's task (<c>sum_of</c>): the sum of a series of prices; moving the item is the cost.</summary>
    public static double SumOf(double[] values)
    {
        var sum = 0.0;
        foreach (var value in values) sum += value;
        return sum;
    }

    /// <summary>A large item's task that returns it (<c>echo</c>): moving it there and back is the cost.</summary>
    public static double[] Echo(double[] values) => values;

    /// <summary>A large record's task (<c>last_close</c>): its last close plus how many dates it holds.</summary>
    public static double LastClose(PriceSeries series) => series.Closes[^1] + series.Dates.Length;

    /// <summary>A tiny task (<c>square</c>): measures per-task overhead.</summary>
    public static long Square(long x) => x * x;

    /// <summary>
    /// A CPU-bound task (<c>spin</c>): <paramref name="n"/> rounds of integer mixing; the result depends on every round,
    /// so the JIT cannot skip the loop.
    /// </summary>
    public static long Spin(int n)
    {
        long h = 0;
        for (var i = 0; i < n; i++) h = (h * 31 + i) & 0xFFFFFFFF;
        return h;
    }

    /// <summary>
    /// A CPU-busy task of a set length (<c>busy_wait</c>): spins on the monotonic clock (<see cref="Stopwatch"/>) for
    /// <paramref name="ms"/> milliseconds, never sleeping, so its core stays busy all along; returns its input.
    /// </summary>
    public static double BusyWait(double ms)
    {
        var end = Stopwatch.GetTimestamp() + (long)(ms * Stopwatch.Frequency / 1000);
        while (Stopwatch.GetTimestamp() < end) { }
        return ms;
    }

    /// <summary>Kills its own worker process when <paramref name="x"/> equals <paramref name="bad"/> (<c>die_on</c>), as the OOM killer or a segfault would.</summary>
    public static int DieOn(int x, int bad)
    {
        if (x == bad) Environment.Exit(137);
        return x;
    }

    /// <summary>A result that names its input: <paramref name="x"/> × 1000 + 7, so a lost, repeated or misplaced item shows.</summary>
    public static int Tagged(int x) => x * 1000 + 7;

    /// <summary>Sleeps 20 to 50 ms (set by <paramref name="x"/>), then returns <see cref="Tagged"/>(x): long enough that a kill lands mid-call.</summary>
    public static int SlowTagged(int x)
    {
        Thread.Sleep(20 + x * 13 % 31);
        return Tagged(x);
    }
}

/// <summary>A record of a user's as large items are written (<c>(ticker, dates, closes)</c> in Python): a name, dates
/// and prices.</summary>
/// <param name="Ticker">The instrument.</param>
/// <param name="Dates">A date per close.</param>
/// <param name="Closes">The closing prices.</param>
public sealed record PriceSeries(string Ticker, DateTime[] Dates, double[] Closes);
