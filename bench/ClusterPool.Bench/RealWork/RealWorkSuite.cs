using System.Diagnostics;

namespace ClusterPool.Bench.RealWork;

/// <summary>
/// User code as real batches write it (realwork.py): a book of options valued on a binomial tree over interface-held
/// curves and surfaces, a few milliseconds a trade. Serially in this process, then with Map on a pool of one process
/// and on a pool of <see cref="BenchSettings.Processes"/>. A worker should run the user's code as fast as the user's own
/// process does: <c>per_process</c> (serial time / Pool(1) time) near 1, and <c>efficiency</c> (speed-up / processes)
/// near 1 on idle cores. Each side is warmed up first (tiered compilation settles in either process), and each figure is the best of
/// <c>--repeat</c> runs taken in turn; the serial one in a fresh process, as a user's program runs its loop.
/// </summary>
internal static class RealWorkSuite
{
    /// <summary>Trades valued before a clock starts, per process.</summary>
    private const int WarmUpTrades = 100;

    /// <summary>Runs the suite; figures of case <c>realwork</c>.</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        var book = OptionTrade.Book(settings.RealWorkTrades);
        var serial = book.Select(RealWorkTasks.Value).ToList();

        // Best of --repeat, the three taken in turn, so a drift of this shared machine's speed falls on all three. The
        // serial run is a fresh process of its own (SerialRun): this one has pools, so Akka's threads and heap, and its
        // allocating code runs slower (every gen0 collection costs more), which is not the user's serial baseline.
        using var one = WarmPool(1, cancel);
        using var many = WarmPool(settings.Processes, cancel);
        var (serialBest, oneBest, manyBest) = (double.MaxValue, double.MaxValue, double.MaxValue);
        var coordinatorCpu = double.MaxValue;
        for (var round = 0; round < settings.Repeat; round++)
        {
            serialBest = Math.Min(serialBest, TimeSerialProcess(book.Count));
            cancel.ThrowIfCancellationRequested();
            oneBest = Math.Min(oneBest, TimeMap(one.Pool, book, serial).Seconds);
            var (seconds, cpu) = TimeMap(many.Pool, book, serial);
            (manyBest, coordinatorCpu) = (Math.Min(manyBest, seconds), Math.Min(coordinatorCpu, cpu));
        }
        var speedup = serialBest / manyBest;
        return
        [
            new("realwork", "trade_ms", Math.Round(serialBest / book.Count * 1000, 2), "ms"),
            new("realwork", "serial", Math.Round(serialBest, 3), "s"),
            new("realwork", "pool_1", Math.Round(oneBest, 3), "s"),
            new("realwork", $"pool_{settings.Processes}", Math.Round(manyBest, 3), "s"),
            new("realwork", "per_process", Math.Round(serialBest / oneBest, 3), "x"),
            new("realwork", "speedup", Math.Round(speedup, 3), "x"),
            new("realwork", "efficiency", Math.Round(speedup / settings.Processes, 3), ""),
            // The CPU this process (the coordinator, and the caller waiting) used during the Map on pool_N: taken
            // from the workers on a machine with as many cores as workers.
            new("realwork", $"coordinator_cpu_{settings.Processes}", Math.Round(coordinatorCpu, 3), "s"),
        ];
    }

    /// <summary>
    /// The serial side, in a process of its own (<c>bench --realwork-serial N</c>): values the book once to warm up, as
    /// the pools' workers are, then again on the clock; prints the seconds.
    /// </summary>
    public static int SerialRun(int trades)
    {
        var book = OptionTrade.Book(trades);
        foreach (var trade in book) RealWorkTasks.Value(trade);
        var clock = Stopwatch.StartNew();
        foreach (var trade in book) RealWorkTasks.Value(trade);
        Console.WriteLine(clock.Elapsed.TotalSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    }

    private static double TimeSerialProcess(int trades)
    {
        using var child = Process.Start(ToolProcess.StartInfo("bench", "--realwork-serial", $"{trades}"))!;
        var output = child.StandardOutput.ReadToEndAsync();
        var errors = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(TimeSpan.FromMinutes(5))) child.Kill(entireProcessTree: true);
        child.WaitForExit();
        BenchPool.Verify(child.ExitCode == 0 && double.TryParse(output.Result.Trim(), System.Globalization.CultureInfo.InvariantCulture, out _),
            $"the serial run exited with {child.ExitCode}: {errors.Result.Trim()}");
        return double.Parse(output.Result.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A ready pool of <paramref name="processes"/>, each worker warmed up with <see cref="WarmUpTrades"/> trades.</summary>
    private static BenchPool WarmPool(int processes, CancellationToken cancel)
    {
        var bench = BenchPool.StartReady(processes, cancel);
        bench.Pool.Map(RealWorkTasks.Value, OptionTrade.Book(WarmUpTrades * processes), chunksize: 1);
        QuietMachine.Wait(); // the spares this pool starts once it idles are up before any clock
        return bench;
    }

    /// <summary>
    /// Seconds a Map of the book takes on <paramref name="pool"/>, and the CPU seconds this process used meanwhile; its
    /// valuations must be the serial ones.
    /// </summary>
    private static (double Seconds, double Cpu) TimeMap(Pool pool, IReadOnlyList<OptionTrade> book,
        IReadOnlyList<Valuation> serial)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        var results = pool.Map(RealWorkTasks.Value, book);
        var seconds = clock.Elapsed.TotalSeconds;
        var used = (Environment.CpuUsage.TotalTime - cpu).TotalSeconds;
        BenchPool.Verify(results.SequenceEqual(serial), $"Map(Value) on {pool.Slots} slots differs from the serial valuations");
        return (seconds, used);
    }
}
