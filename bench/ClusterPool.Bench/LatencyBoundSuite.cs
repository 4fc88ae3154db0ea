using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// Latency-bound work (latency_bound.py, issue 22 point 2): CPU-busy tasks of a few milliseconds
/// (<see cref="Workloads.BusyWait"/>, 1, 4 and 16 ms), one at a time through IMap and IMapUnordered with chunksize 1
/// and through one ApplyAsync per task (then every result got), on a pool of 1 and on a pool of 2 processes. Tasks
/// this short leave the pool no chunk to hide its dispatch behind: each result's trip back and the next task's trip out
/// show as idle time on the worker. The figure of each cell is its efficiency, the ideal time
/// (tasks × ms / processes) over the wall time: 1 when the workers never wait.
/// </summary>
internal static class LatencyBoundSuite
{
    /// <summary>How long each task busy-waits, in milliseconds.</summary>
    public static readonly IReadOnlyList<int> Milliseconds = [1, 4, 16];

    /// <summary>The pool sizes, one pool each.</summary>
    public static readonly IReadOnlyList<int> Processes = [1, 2];

    /// <summary>The ways the tasks are sent, as the case names spell them.</summary>
    public static readonly IReadOnlyList<string> Methods = ["imap", "imap_unordered", "apply_async"];

    /// <summary>
    /// 1-ms tasks each pool runs through every method before a clock starts, per process: .NET's tiered compilation has
    /// then optimized both sides' dispatch path, in the coordinator and in the fresh worker processes. 300 tasks of
    /// 0.1 ms were not enough: the first method's cells ran at 0.52-0.75 of the ideal at 1 ms and the same cells later
    /// at 0.79-0.95. What a fresh pool's first seconds cost is its own figure (<see cref="ColdCase"/>).
    /// </summary>
    private const int WarmUpTasksPerProcess = 1000;

    /// <summary>
    /// The case of a fresh pool's first IMap of 1-ms tasks (before any warm-up; the spares it launches are up first):
    /// the price of the JIT's first seconds, which Python does not pay.
    /// </summary>
    public static string ColdCase(int processes) => $"latency_cold_imap_1ms_p{processes}";

    /// <summary>One cell of the grid: a method, a task length and a pool size.</summary>
    public sealed record Cell(string Method, int Ms, int Processes)
    {
        /// <summary>The figure's case, e.g. <c>latency_imap_4ms_p2</c>; latency_bound.py prints the same.</summary>
        public string Case => $"latency_{Method}_{Ms}ms_p{Processes}";
    }

    /// <summary>Every cell, in the table's order: by method, then task length, then pool size.</summary>
    public static IEnumerable<Cell> Cells =>
        from method in Methods from ms in Milliseconds from processes in Processes select new Cell(method, ms, processes);

    /// <summary>Runs the suite; one figure per cell, metric <c>efficiency</c>.</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        var tasks = settings.LatencyTasks;
        var efficiency = new Dictionary<string, double>();
        foreach (var processes in Processes)
        {
            using var bench = BenchPool.StartReady(processes, cancel);
            var pool = bench.Pool;
            QuietMachine.Wait();
            efficiency[ColdCase(processes)] = Efficiency(pool, new Cell("imap", 1, processes), tasks);
            foreach (var method in Methods) Send(pool, method, 1, WarmUpTasksPerProcess * processes);
            QuietMachine.Wait();
            foreach (var cell in Cells.Where(c => c.Processes == processes))
            {
                cancel.ThrowIfCancellationRequested();
                efficiency[cell.Case] = Efficiency(pool, cell, tasks);
            }
        }
        return [.. Cells.Select(c => c.Case).Concat(Processes.Select(ColdCase))
            .Select(name => new Figure(name, "efficiency", Math.Round(efficiency[name], 3), ""))];
    }

    /// <summary>Runs <paramref name="tasks"/> tasks of <paramref name="cell"/> on the clock; the ideal time over the
    /// wall time.</summary>
    private static double Efficiency(Pool pool, Cell cell, int tasks)
    {
        var clock = Stopwatch.StartNew();
        var results = Send(pool, cell.Method, cell.Ms, tasks);
        var seconds = clock.Elapsed.TotalSeconds;
        BenchPool.Verify(results.Count == tasks && results.All(r => r == cell.Ms),
            $"{cell.Case}: {results.Count} results of {tasks}, or one not {cell.Ms}");
        return IdealSeconds(tasks, cell) / seconds;
    }

    /// <summary>The wall time if the workers never waited: the tasks' work shared evenly by the processes.</summary>
    private static double IdealSeconds(int tasks, Cell cell) => tasks * cell.Ms / 1000.0 / cell.Processes;

    /// <summary>Runs <paramref name="tasks"/> busy-waits of <paramref name="ms"/> through <paramref name="method"/>; their results.</summary>
    private static IReadOnlyList<double> Send(Pool pool, string method, double ms, int tasks)
    {
        var items = Enumerable.Repeat(ms, tasks);
        return method switch
        {
            "imap" => pool.IMap(Workloads.BusyWait, items, chunksize: 1).ToList(),
            "imap_unordered" => pool.IMapUnordered(Workloads.BusyWait, items, chunksize: 1).ToList(),
            // Each ApplyAsync is its own call, as in Python: all sent, then every result got.
            "apply_async" => items.Select(x => pool.ApplyAsync(Workloads.BusyWait, x)).ToList().Select(r => r.Get()).ToList(),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "no such method"),
        };
    }
}
