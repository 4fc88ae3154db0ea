using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// Throughput of tiny tasks (<see cref="Workloads.Square"/>) as the overhead and sweep suites measure it, and as
/// overhead.py and sweep.py do: each case runs <see cref="BenchSettings.Repeat"/> times and the best run counts
/// (timeit's rule: slower runs measure the machine's other work, not the code), every run's results checked.
/// </summary>
internal static class TinyTasks
{
    /// <summary>0, 1, ..., count − 1 as longs; its length is known without enumerating it, as Python's <c>range</c>.</summary>
    public static IEnumerable<long> Items(int count) => Enumerable.Range(0, count).Select(i => (long)i);

    /// <summary>The best of <paramref name="repeat"/> runs of <paramref name="run"/>, in tasks per second.</summary>
    public static Figure Throughput(string name, int tasks, int repeat, Func<IReadOnlyList<long>> run)
    {
        var expected = Items(tasks).Sum(x => x * x);
        var best = double.MaxValue;
        for (var i = 0; i < repeat; i++)
        {
            var clock = Stopwatch.StartNew();
            var results = run();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            BenchPool.Verify(results.Count == tasks && results.Sum() == expected, $"{name}: {results.Count} results of {tasks}, or a wrong sum");
        }
        return new Figure(name, "tasks_per_s", Math.Round(tasks / best), "1/s");
    }

    /// <summary>
    /// Each round trip of <paramref name="count"/> sequential <c>Apply(Square, x)</c> calls in microseconds, sorted, and
    /// the mean over the whole run; every result checked.
    /// </summary>
    public static (double[] Sorted, double Mean) ApplyRoundTrips(Pool pool, int count)
    {
        var each = new double[count];
        var total = Stopwatch.StartNew();
        for (var x = 0; x < count; x++)
        {
            var start = Stopwatch.GetTimestamp();
            var result = pool.Apply(Workloads.Square, (long)x);
            each[x] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            BenchPool.Verify(result == (long)x * x, $"Apply(Square, {x}) returned {result}");
        }
        var mean = total.Elapsed.TotalMicroseconds / count;
        Array.Sort(each);
        return (each, mean);
    }
}
