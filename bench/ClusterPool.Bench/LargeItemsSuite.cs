using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// Large items (large_items.py): Map at chunksize 1 over items of 2 MiB each, whose tasks take next to no time, so the
/// figure is how fast items move to the workers: <c>double[]</c> series of prices (a list of floats in Python), and
/// records holding a name, dates and prices (Python: a tuple of a str, a list of datetimes and a list of floats), and the
/// same series returned by their task (each item there and back).
/// Throughput is MB of the items' values per second, best of <see cref="BenchSettings.Repeat"/> after a warm-up
/// round; the items are made before the clock starts.
/// </summary>
internal static class LargeItemsSuite
{
    private const int Items = 48, ValuesPerItem = 2 * 1024 * 1024 / 8;
    private const double ItemMB = 2 * 1024 * 1024 / 1e6;

    /// <summary>Runs the suite; figures are <c>large_double_arrays/mb_per_s</c>, <c>large_records/mb_per_s</c> and
    /// <c>large_arrays_both_ways/mb_per_s</c> (<see cref="Workloads.Echo"/>: each item there and back).</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        using var bench = BenchPool.StartReady(settings.Processes, cancel);
        var pool = bench.Pool;
        var arrays = Best(settings.Repeat, () => Enumerable.Range(0, Items).Select(Prices).ToList(),
            items => pool.Map(Workloads.SumOf, items, chunksize: 1),
            (items, sums) => sums.SequenceEqual(items.Select(Workloads.SumOf)));
        var records = Best(settings.Repeat, () => Enumerable.Range(0, Items).Select(Series).ToList(),
            items => pool.Map(Workloads.LastClose, items, chunksize: 1),
            (items, closes) => closes.SequenceEqual(items.Select(Workloads.LastClose)));
        var bothWays = Best(settings.Repeat, () => Enumerable.Range(0, Items).Select(Prices).ToList(),
            items => pool.Map(Workloads.Echo, items, chunksize: 1),
            (items, echoed) => echoed.Zip(items).All(pair => pair.First.SequenceEqual(pair.Second)));
        return
        [
            new("large_double_arrays", "mb_per_s", Math.Round(Items * ItemMB / arrays, 1), "MB/s"),
            new("large_records", "mb_per_s", Math.Round(Items * ItemMB / records, 1), "MB/s"),
            new("large_arrays_both_ways", "mb_per_s", Math.Round(Items * ItemMB / bothWays, 1), "MB/s"),
        ];
    }

    /// <summary>The best time of <paramref name="repeat"/> rounds of <paramref name="map"/> over fresh items, after one
    /// round not counted; every round's results checked.</summary>
    private static double Best<T, R>(int repeat, Func<List<T>> make, Func<List<T>, IReadOnlyList<R>> map,
        Func<List<T>, IReadOnlyList<R>, bool> check)
    {
        var best = double.MaxValue;
        for (var round = 0; round <= repeat; round++)
        {
            var items = make();
            var clock = Stopwatch.StartNew();
            var results = map(items);
            var seconds = clock.Elapsed.TotalSeconds;
            BenchPool.Verify(check(items, results), "Map over large items returned wrong results");
            if (round > 0) best = Math.Min(best, seconds);
        }
        return best;
    }

    private static double[] Prices(int item) =>
        [.. Enumerable.Range(0, ValuesPerItem).Select(i => 100 + item + i % 1000 * 0.01)];

    private static PriceSeries Series(int item) => new($"T{item}",
        [.. Enumerable.Range(0, ValuesPerItem / 2).Select(i => new DateTime(2000, 1, 1).AddDays(i))],
        [.. Enumerable.Range(0, ValuesPerItem / 2).Select(i => 100 + item + i % 1000 * 0.01)]);
}
