using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ClusterPool.Bench;

/// <summary>
/// Issue 9's two-kill trigger, many rounds in a row (no Python side: Python's pool hangs on the first kill). A pool of
/// 4 runs a Map of 2,000 items of 20–50 ms; 2 s in, the worker with the highest port is killed with SIGKILL, and 7 to
/// 8.5 s later (the window in which Akka's split-brain resolver used to down every node) the one with the lowest port.
/// Every round must return every result once, in order, on the same pool.
/// </summary>
internal static class TwoKillSuite
{
    private const int Workers = 4, Items = 2000;
    private static readonly double[] SecondKillDelays = [7.0, 7.5, 8.0, 8.5];
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>Runs the rounds; case <c>two_kill</c>: <c>rounds</c>, <c>rounds_complete</c>, <c>rounds_failed</c>, <c>workers_lost</c>, <c>round_wall_max</c>.</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        using var bench = BenchPool.StartReady(Workers, cancel);
        var pool = bench.Pool;
        var expected = Enumerable.Range(0, Items).Select(Workloads.Tagged).ToList();
        int complete = 0, failed = 0;
        var slowest = 0.0;
        for (var round = 0; round < settings.TwoKillRounds; round++)
        {
            cancel.ThrowIfCancellationRequested();
            var delay = SecondKillDelays[round % SecondKillDelays.Length];
            try
            {
                if (!pool.WaitUntilReady(Patience)) throw new TimeoutException($"only {pool.Slots} of {Workers} workers came back");
                var clock = Stopwatch.StartNew();
                var run = pool.MapAsync(Workloads.SlowTagged, Enumerable.Range(0, Items), chunksize: 5);
                Thread.Sleep(2000);
                var byPort = pool.LocalWorkerProcessIds
                    .Select(pid => (Pid: pid, Port: ProcessStats.ListeningPort(pid) ?? int.MaxValue))
                    .OrderBy(w => w.Port).ToList();
                kill(byPort[^1].Pid, 9);
                Thread.Sleep(TimeSpan.FromSeconds(delay));
                kill(byPort[0].Pid, 9);
                var results = run.Get(Patience);
                slowest = Math.Max(slowest, clock.Elapsed.TotalSeconds);
                if (results.SequenceEqual(expected)) complete++;
                else { failed++; Console.Error.WriteLine($"bench: two_kill round {round + 1}: {results.Count} results, not every one once in order"); }
            }
            catch (Exception e) when (!cancel.IsCancellationRequested)
            {
                failed++;
                Console.Error.WriteLine($"bench: two_kill round {round + 1} ({delay} s between kills) FAILED: {e.GetType().Name}: {e.Message}");
            }
            Console.Error.WriteLine($"bench: two_kill round {round + 1} of {settings.TwoKillRounds}: {complete} complete, {failed} failed");
        }
        return
        [
            new("two_kill", "rounds", settings.TwoKillRounds, "count"),
            new("two_kill", "rounds_complete", complete, "count"),
            new("two_kill", "rounds_failed", failed, "count"),
            new("two_kill", "workers_lost", pool.Statistics.WorkersLost, "count"),
            new("two_kill", "round_wall_max", Math.Round(slowest, 2), "s"),
        ];
    }
}
