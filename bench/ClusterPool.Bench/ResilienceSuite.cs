using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// What a worker process's death costs (worker_death.py), on pools of 2 as the script's:
/// <list type="bullet">
/// <item><c>worker_kill</c> (ClusterPool only: Python's pool never runs a lost task again): kill -9 of the local worker
/// running a 2 s item, and the time from the kill to that item starting again on the other worker; 5 rounds, median
/// and max.</item>
/// <item><c>multiprocessing.Pool</c>: a map of 20 items, chunksize 1, where item 5 kills its worker every time it runs
/// (<see cref="Workloads.DieOn"/>, as the script's <c>die_on(bad=5)</c>): the outcome and the wall time, from starting
/// the pool to disposing it. Python's <c>map_async</c> hangs; ClusterPool's <c>MapAsync</c> should fail with
/// <see cref="WorkerLostException"/> naming item 5 once it has taken down <c>max-retries + 1</c> workers.</item>
/// <item><c>ProcessPoolExecutor</c>: the same 20 items as 20 <c>ApplyAsync</c> calls, as the script submits them one
/// by one to an executor (which fails them all).</item>
/// <item><c>host_cutoff</c> (ClusterPool only, needs root): a worker host in a network namespace cut off for 30 s; see
/// <see cref="HostCutoffCase"/>.</item>
/// </list>
/// The rows carry the script's case names, which are Python's APIs; ClusterPool's side runs its counterpart of each.
/// </summary>
internal static class ResilienceSuite
{
    private const string KillCase = "worker_kill", PoolCase = "multiprocessing.Pool", ExecutorCase = "ProcessPoolExecutor";
    private const int Processes = 2, Items = 20, Bad = 5, Rounds = 5, SlowMillis = 2000;

    // A fixed seed: the kill lands at a different point of the item each round, and the same points in every run.
    private const int Seed = 20261125;

    // The script gives Python 10 s; ClusterPool gets more, as each lost worker is replaced by a fresh .NET process.
    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(60);

    /// <summary>The cases whose wall times time different outcomes on the two sides (a hang, a failure): no ratio.</summary>
    public static readonly IReadOnlyList<string> OutcomeCases = [PoolCase, ExecutorCase];

    /// <summary>
    /// Runs the suite; figures are <c>worker_kill/rerun_delay_median</c> and <c>rerun_delay_max</c> (s), and
    /// <c>outcome</c> (words) and <c>wall</c> (s) for <c>multiprocessing.Pool</c> and <c>ProcessPoolExecutor</c>.
    /// </summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        var scratch = Directory.CreateTempSubdirectory("clusterpool-resilience-");
        try
        {
            return [.. RerunDelays(scratch.FullName, cancel), .. MapWithAKillerItem(scratch.FullName, cancel), .. ApplyEachWithAKillerItem(cancel),
                .. HostCutoffCase.Run(scratch.FullName, cancel)];
        }
        finally { scratch.Delete(recursive: true); }
    }

    /// <summary>Kills the worker running a slow item, <see cref="Rounds"/> times; how soon the item starts again elsewhere.</summary>
    private static IEnumerable<Figure> RerunDelays(string scratch, CancellationToken cancel)
    {
        var random = new Random(Seed);
        var delays = new List<double>();
        using (var bench = BenchPool.StartReady(Processes, cancel))
        {
            for (var round = 0; round < Rounds; round++)
            {
                var folder = Directory.CreateDirectory(Path.Combine(scratch, $"round-{round}")).FullName;
                WarmUp(bench.Pool, scratch, round, cancel);
                delays.Add(KillAndTimeRerun(bench.Pool, folder, random, cancel));
                Console.Error.WriteLine($"bench: resilience: round {round + 1}: the killed worker's item started again {delays[^1] * 1000:0} ms after the kill");
            }
        }
        delays.Sort();
        return
        [
            new(KillCase, "rerun_delay_median", Math.Round(delays[delays.Count / 2], 4), "s"),
            new(KillCase, "rerun_delay_max", Math.Round(delays[^1], 4), "s"),
        ];
    }

    /// <summary>
    /// Waits until the pool has its full size again (the last round's victim replaced), then has every worker run the
    /// function once, so what is timed is the re-queue, not a fresh worker loading the function.
    /// </summary>
    private static void WarmUp(Pool pool, string scratch, int round, CancellationToken cancel)
    {
        if (!pool.WaitUntilReady(CallLimit)) throw new TimeoutException($"the pool did not get back to {Processes} workers within {CallLimit.TotalSeconds:0} s");
        cancel.ThrowIfCancellationRequested();
        var folder = Directory.CreateDirectory(Path.Combine(scratch, $"warm-up-{round}")).FullName;
        // One long item per worker: each slot holds one at a time, so every worker takes one.
        pool.Map(ResilienceWorkloads.AnnounceThenSleep, Enumerable.Repeat((folder, 200), Processes).ToList(), chunksize: 1);
    }

    /// <summary>Starts a slow item, kills (kill -9) the process that runs it mid-item; seconds from the kill to its re-run's start.</summary>
    private static double KillAndTimeRerun(Pool pool, string folder, Random random, CancellationToken cancel)
    {
        var call = pool.ApplyAsync(ResilienceWorkloads.AnnounceThenSleep, (folder, SlowMillis));
        var victim = FirstRunner(folder, cancel);
        Thread.Sleep(random.Next(100, 1000)); // mid-item
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using (var process = Process.GetProcessById(victim)) process.Kill(); // SIGKILL on Unix
        var (rerunStart, rerunPid) = call.Get(CallLimit);
        BenchPool.Verify(rerunPid != victim, $"the item's result came from the killed worker {victim}");
        return (rerunStart - killedAt) / 1000.0;
    }

    /// <summary>The pid of the first process that started the item announcing itself in <paramref name="folder"/>.</summary>
    private static int FirstRunner(string folder, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < CallLimit)
        {
            cancel.ThrowIfCancellationRequested();
            if (Directory.GetFiles(folder).FirstOrDefault() is { } file) return int.Parse(Path.GetFileName(file));
            Thread.Sleep(2);
        }
        throw new TimeoutException($"the slow item did not start within {CallLimit.TotalSeconds:0} s");
    }

    /// <summary>
    /// worker_death.py's <c>Pool(2).map_async(die_on(bad=5), range(20), 1).get()</c>: the outcome, which items ran, and
    /// the wall time from starting the pool (not waited for, as Python's) to disposing it.
    /// </summary>
    private static IEnumerable<Figure> MapWithAKillerItem(string scratch, CancellationToken cancel)
    {
        var folder = Directory.CreateDirectory(Path.Combine(scratch, "map")).FullName;
        var clock = Stopwatch.StartNew();
        string outcome;
        using (var bench = BenchPool.Start(Processes, cancel))
        {
            var items = Enumerable.Range(0, Items).Select(x => (folder, x, Bad)).ToList();
            outcome = Outcome(bench.Pool.MapAsync(ResilienceWorkloads.DieOnRecorded, items, chunksize: 1));
        }
        var wall = clock.Elapsed.TotalSeconds;
        var others = Directory.GetFiles(folder).Select(f => int.Parse(Path.GetFileName(f))).Count(x => x != Bad);
        return
        [
            Figure.Outcome(PoolCase, "outcome", $"{outcome}; {others} of the other {Items - 1} items ran"),
            new(PoolCase, "wall", Math.Round(wall, 2), "s"),
        ];
    }

    /// <summary>How a call ended: finished, hung (no result within the limit), or failed, with the error's gist.</summary>
    private static string Outcome<T>(AsyncResult<T> call)
    {
        try
        {
            call.Get(CallLimit);
            return "finished";
        }
        catch (TimeoutException) { return $"hung (no result after {CallLimit.TotalSeconds:0} s)"; }
        catch (Exception e)
        {
            Console.Error.WriteLine($"bench: resilience: the map failed with {e.GetType().Name}: {e.Message}");
            return $"failed: {e.GetType().Name}{Gist(e)}";
        }
    }

    /// <summary>The item a <see cref="WorkerLostException"/> names and how many workers it took down, in a few words.</summary>
    private static string Gist(Exception e) =>
        e is WorkerLostException lost ? $" (item {lost.ItemIndex}, {lost.WorkersLost} workers lost)" : "";

    /// <summary>
    /// worker_death.py's <c>ProcessPoolExecutor(2)</c> with one <c>submit(die_on(bad=5), x)</c> per item: here one
    /// <c>ApplyAsync</c> per item; how many gave their result and how many failed, and with what.
    /// </summary>
    private static IEnumerable<Figure> ApplyEachWithAKillerItem(CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var ok = 0;
        var failed = new List<string>();
        using (var bench = BenchPool.Start(Processes, cancel))
        {
            var calls = Enumerable.Range(0, Items).Select(x => bench.Pool.ApplyAsync(Workloads.DieOn, x, Bad)).ToList();
            for (var x = 0; x < Items; x++)
            {
                var left = CallLimit - clock.Elapsed;
                try
                {
                    var result = calls[x].Get(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                    if (result == x) ok++;
                    else failed.Add($"item {x}: wrong result {result}");
                }
                catch (Exception e) { failed.Add($"item {x}: {e.GetType().Name}"); }
            }
        }
        var wall = clock.Elapsed.TotalSeconds;
        return
        [
            Figure.Outcome(ExecutorCase, "outcome", $"{ok} results, {failed.Count} failed" + (failed.Count > 0 ? $" ({string.Join(", ", failed)})" : "")),
            new(ExecutorCase, "wall", Math.Round(wall, 2), "s"),
        ];
    }
}
