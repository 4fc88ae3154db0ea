using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// Issue 25's share run: a 256 MiB <c>double[]</c> shared (<c>pool.Share</c>) with four network-namespace "machines"
/// of four worker processes each, joined over TLS as by-hand hosts. Each machine keeps its shared values in a folder of
/// its own (as separate machines do). Figures: the bytes the pool sent (once per machine: 1 GiB; as InitArgs or as an
/// argument, once per process: 4 GiB, and more than Akka.Remote's frame carries in one message), the growth of each
/// machine's memory (the proportional sets of its processes: the array once, not four times), and the time per task
/// against the same task over an array of the caller's own.
/// </summary>
internal static class ShareSuite
{
    private const int Machines = 4, ProcessesPerMachine = 4;
    private const int Elements = 32 << 20; // 256 MiB of doubles
    private const int Tasks = 256;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(300);

    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel) =>
        ClusterRig.RunSuite("share", Machines, cancel, (rig, certificate, folder) =>
        {
            // each machine's folder in memory, as a worker's default (/dev/shm) is
            var memory = Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", Path.GetFileName(folder)) : folder;
            try { return Measure(rig, certificate, memory, cancel); }
            finally
            {
                if (memory != folder && Directory.Exists(memory)) Directory.Delete(memory, recursive: true);
            }
        });

    private static List<Figure> Measure(ClusterRig rig, string certificate, string memory, CancellationToken cancel)
    {
        var figures = new List<Figure>();
        using var pool = rig.StartPool(certificate);
        using var stop = cancel.Register(pool.Terminate);
        var app = typeof(ShareSuite).Assembly.Location;
        var hosts = new List<RigHost>();
        for (var m = 0; m < Machines; m++)
        for (var p = 0; p < ProcessesPerMachine; p++)
            hosts.Add(rig.StartHost(m, pool.Address, ["--app", app, "--slots", "1", "--cert", certificate],
                new Dictionary<string, string>
                {
                    ["CLUSTERPOOL_CONFIG"] = $"clusterpool.worker.shared.directory = \"{memory}/m{m}\"",
                }));
        BenchPool.Verify(pool.WaitUntilReady(Patience, slots: Machines * ProcessesPerMachine),
            $"the hosts' slots did not all register within {Patience}");
        // a first call warms every process (JIT, connections) before anything is measured
        pool.Map(ShareWorkloads.Pid, Enumerable.Range(0, 64));

        var prices = new double[Elements];
        for (var i = 0; i < prices.Length; i++) prices[i] = 100 + Math.Sin(i * 1e-3);
        var serial = SerialTaskMillis(prices);
        var before = MachineMemory(hosts);
        var clock = Stopwatch.StartNew();
        using var shared = pool.Share(prices);
        var shareTime = clock.Elapsed;
        var slice = Elements / Tasks;
        var items = Enumerable.Range(0, Tasks).Select(t => (shared, t * slice, slice)).ToList();
        clock.Restart();
        var results = pool.StarMap(ShareWorkloads.Volatility, items, chunksize: 1);
        var mapTime = clock.Elapsed;
        var after = MachineMemory(hosts);
        BenchPool.Verify(results.Count == Tasks, $"{results.Count} results for {Tasks} tasks");
        var sent = pool.Statistics.SharedBytesSent;
        var bytes = (long)Elements * sizeof(double);
        figures.Add(new("share_256mib", "bytes_sent", Math.Round(sent / (double)(1 << 30), 3), "GiB"));
        figures.Add(new("share_256mib", "bytes_sent_per_process_copies",
            Math.Round(bytes * Machines * ProcessesPerMachine / (double)(1 << 30), 3), "GiB"));
        figures.Add(new("share_256mib", "share_call", Math.Round(shareTime.TotalSeconds, 2), "s"));
        figures.Add(new("share_256mib", "map_wall", Math.Round(mapTime.TotalSeconds, 2), "s"));
        // A machine holds the value's file once (memory: tmpfs, or the page cache) and whatever its processes' own
        // memory grew by: with a copy per process (InitArgs), that growth alone is four times the value.
        var valueMiB = bytes / (double)(1 << 20);
        var copies = Enumerable.Range(0, Machines).Select(m => (valueMiB + after[m] - before[m]) / valueMiB).ToList();
        for (var m = 0; m < Machines; m++)
            figures.Add(new("share_256mib", $"machine_{m}_copies", Math.Round(copies[m], 2), "x"));
        figures.Add(new("share_256mib", "machine_copies", Math.Round(copies.Max(), 2), "x"));
        figures.Add(new("share_256mib", "bytes_per_process_x_value",
            Math.Round(sent / (double)bytes / (Machines * ProcessesPerMachine), 2), "x"));
        // per-task time once every process has the value mapped and its code compiled: a second Map
        var warm = pool.StarMap(ShareWorkloads.Volatility, items, chunksize: 1);
        var perTask = warm.Select(r => r.Millis).Order().ToList();
        // the control: the same tasks in the same processes over a copy of their slice in their own heap
        var copied = pool.StarMap(ShareWorkloads.VolatilityOfCopy, items, chunksize: 1)
            .Select(r => r.Millis).Order().ToList();
        figures.Add(new("share_256mib", "task_on_own_copy_ms_median", Math.Round(copied[copied.Count / 2], 2), "ms"));
        figures.Add(new("share_256mib", "task_mapped_vs_own_copy",
            Math.Round(perTask[perTask.Count / 2] / copied[copied.Count / 2], 2), "x"));
        figures.Add(new("share_256mib", "task_ms_median", Math.Round(perTask[perTask.Count / 2], 2), "ms"));
        figures.Add(new("share_256mib", "serial_task_ms_median", Math.Round(serial, 2), "ms"));
        figures.Add(new("share_256mib", "task_vs_serial",
            Math.Round(perTask[perTask.Count / 2] / serial, 2), "x"));
        return figures;
    }

    /// <summary>The median time of the same task over the caller's own array, in this process.</summary>
    private static double SerialTaskMillis(double[] prices)
    {
        var slice = Elements / Tasks;
        var times = new List<double>();
        for (var t = 0; t < Tasks; t++) // as the workers run them: each slice once, then again (compiled by then)
            ShareWorkloads.VolatilityOf(prices.AsSpan(t * slice, slice));
        for (var t = 0; t < Tasks; t++)
            times.Add(ShareWorkloads.VolatilityOf(prices.AsSpan(t * slice, slice)).Millis);
        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Each machine's processes' own memory now: the anonymous memory of its worker hosts and their children, in
    /// MiB (a mapped file is not in it).</summary>
    private static double[] MachineMemory(List<RigHost> hosts)
    {
        var memory = new double[Machines];
        foreach (var host in hosts)
            memory[host.Machine] += ProcessStats.Tree(host.Process.Id).Sum(ProcessStats.AnonymousMiB);
        return memory;
    }
}

/// <summary>The share suite's tasks.</summary>
public static class ShareWorkloads
{
    public static int Pid(int _) => Environment.ProcessId;

    /// <summary>The annualised volatility of the log returns of a slice of a shared price history, and how long it
    /// took.</summary>
    public static (double Volatility, double Millis) Volatility(SharedArray<double> prices, int start, int count) =>
        VolatilityOf(prices.Span.Slice(start, count));

    /// <summary>The same over a copy of the slice in this process's heap (the copy not timed): the control.</summary>
    public static (double Volatility, double Millis) VolatilityOfCopy(SharedArray<double> prices, int start, int count)
    {
        var own = prices.Span.Slice(start, count).ToArray();
        return VolatilityOf(own);
    }

    /// <summary>The same over any prices; the time is this thread's CPU time (16 processes share 2 cores here: their
    /// wall time measures the wait for a core, not the task), page faults of a mapped array included.</summary>
    public static (double Volatility, double Millis) VolatilityOf(ReadOnlySpan<double> prices)
    {
        var started = ThreadCpu.Now();
        double sum = 0, squares = 0;
        for (var i = 1; i < prices.Length; i++)
        {
            var r = Math.Log(prices[i] / prices[i - 1]);
            sum += r;
            squares += r * r;
        }
        var n = prices.Length - 1;
        var variance = (squares - sum * sum / n) / (n - 1);
        return (Math.Sqrt(variance * 252), (ThreadCpu.Now() - started).TotalMilliseconds);
    }
}

/// <summary>The calling thread's CPU time (Linux: <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>).</summary>
internal static class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int clock_gettime(int clock, out TimeSpec time);

    public static TimeSpan Now()
    {
        clock_gettime(ClockThreadCpuTime, out var time);
        return TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100);
    }
}
