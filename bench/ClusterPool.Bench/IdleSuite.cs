namespace ClusterPool.Bench;

/// <summary>
/// The idle cost (idle.py): a ready pool of 2 workers that has run something, then left idle. Each process's CPU over
/// <see cref="BenchSettings.IdleSeconds"/> as a percentage of one core, its threads, and a worker's resident memory.
/// A pool waiting between the batches of a long call, or a worker host waiting for a call, should cost nothing.
/// </summary>
internal static class IdleSuite
{
    /// <summary>The pool size, as idle.py's default.</summary>
    public const int Processes = 2;

    /// <summary>Runs the suite; figures are <c>idle_cpu/coordinator</c> and <c>idle_cpu/worker_max</c> (%), threads and <c>worker_rss</c> (MiB).</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        using var bench = BenchPool.StartReady(Processes, cancel);
        var pool = bench.Pool;
        var items = Enumerable.Range(0, Processes * 4).Select(i => (long)i).ToList();
        BenchPool.Verify(pool.Map(Workloads.Square, items, chunksize: 1).SequenceEqual(items.Select(x => x * x)), "Map(Square)");
        cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(2)); // as idle.py: let the warm-up settle

        int[] pids = [Environment.ProcessId, .. pool.LocalWorkerProcessIds];
        var before = pids.ToDictionary(pid => pid, ProcessStats.CpuSeconds);
        cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(settings.IdleSeconds));
        cancel.ThrowIfCancellationRequested();
        var used = pids.ToDictionary(pid => pid, pid => (ProcessStats.CpuSeconds(pid) - before[pid]) / settings.IdleSeconds * 100);
        var workers = pids.Skip(1).ToList();
        BenchPool.Verify(workers.Count == Processes, $"{workers.Count} worker processes instead of {Processes}");
        return
        [
            new("idle_cpu", "coordinator", Math.Round(used[pids[0]], 3), "%"),
            new("idle_cpu", "worker_max", Math.Round(workers.Max(w => used[w]), 3), "%"),
            new("idle_cpu", "coordinator_threads", ProcessStats.Threads(pids[0]), "threads"),
            new("idle_cpu", "worker_threads", workers.Max(ProcessStats.Threads), "threads"),
            new("idle_cpu", "worker_rss", Math.Round(workers.Max(ProcessStats.RssMiB), 1), "MiB"),
        ];
    }
}
