using System.Collections.Concurrent;
using System.Diagnostics;
using ClusterPool.Contracts.Security;
using static ClusterPool.Bench.TinyTasks;

namespace ClusterPool.Bench;

/// <summary>
/// Issue 13's long run (ClusterPool only), <c>--minutes</c> long: two worker hosts on network-namespace machines
/// (TLS) and two local workers run, one after the other and again until the time is up, an IMap over
/// <see cref="BenchSettings.SoakImapItems"/> tiny items and a Map of 100,000 tasks of 10 ms; meanwhile a worker
/// process is killed every minute and a host is cut off for 20 s every ten minutes (once, half-way, in a shorter
/// run). Figures: results lost and duplicated (both must be 0), finished items computed again after each kill and cut
/// (told apart by when each item started: every task leaves a mark), and the
/// coordinator's and the workers' memory and the throughput over time, also drawn as <c>soak.png</c> with
/// <c>--plots</c>.
/// </summary>
internal static class SoakSuite
{
    private const int MapTasks = 100_000, MapMillis = 10, SlotsPerHost = 4;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5), CutFor = TimeSpan.FromSeconds(20);

    /// <summary>One sample of the run: seconds since its start, memory in MiB, items done per second since the last.</summary>
    public sealed record Sample(double Seconds, double CoordinatorMiB, double WorkersMiB, double ItemsPerSecond);

    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        if (ClusterRig.WhyNot() is { } why)
        {
            Console.Error.WriteLine($"bench: soak skipped ({why})");
            return [];
        }
        var length = TimeSpan.FromMinutes(settings.SoakMinutes);
        var folder = Directory.CreateTempSubdirectory("clusterpool-bench-soak-").FullName;
        try
        {
            var certificate = ClusterCertificates.WriteNew(folder, "soak", TimeSpan.FromDays(1), password: null);
            using var rig = new ClusterRig(2);
            var port = Workers.LoopbackPort.Free();
            using var pool = Pool.Start(new PoolOptions { ListenAddress = $"{rig.CoordinatorHost}:{port}", Certificate = certificate, LocalWorkers = 2 });
            using var stop = cancel.Register(pool.Terminate);
            var app = typeof(SoakSuite).Assembly.Location;
            var hosts = Enumerable.Range(0, 2).Select(m => rig.StartHost(m, pool.Address, ["--app", app, "--slots", $"{SlotsPerHost}", "--cert", certificate])).ToList();
            var slots = 2 + 2 * SlotsPerHost;
            BenchPool.Verify(SpinWait.SpinUntil(() => pool.Slots == slots, TimeSpan.FromSeconds(120)), $"only {pool.Slots} of {slots} slots registered");

            var clock = Stopwatch.StartNew();
            var samples = new ConcurrentQueue<Sample>();
            var kills = new ConcurrentQueue<long>(); // when, as Environment.TickCount64
            var cuts = new ConcurrentQueue<long>();
            using var chaos = new CancellationTokenSource();
            var sampler = Task.Run(() => Watch(pool, hosts, clock, samples, chaos.Token));
            var monkey = Task.Run(() => Chaos(pool, rig, hosts, clock, length, kills, cuts, chaos.Token));

            long lost = 0, duplicated = 0, imapItems = 0, mapItems = 0;
            var lostWork = new List<(string Event, int Items)>(); // finished items computed again, per kill or cut
            var passes = 0;
            try
            {
                while (clock.Elapsed < length)
                {
                    cancel.ThrowIfCancellationRequested();
                    // The IMap: every result in its place, once (a duplicate or a gap shows as a wrong value or count).
                    var n = settings.SoakImapItems;
                    long seen = 0, wrong = 0;
                    foreach (var square in pool.IMap(Workloads.Square, Items(n), chunksize: 1000))
                    {
                        if (square != seen * seen) wrong++;
                        seen++;
                    }
                    lost += Math.Max(0, n - seen);
                    duplicated += Math.Max(0, seen - n) + wrong;
                    imapItems += seen;

                    // The Map of 10 ms tasks: each leaves a mark as it starts, so a finished item computed again shows.
                    var marks = Directory.CreateDirectory(Path.Combine(folder, $"marks-{passes}")).FullName;
                    var passStart = Environment.TickCount64;
                    var results = pool.Map(SoakWorkloads.MarkedSleep, Enumerable.Range(0, MapTasks).Select(i => (marks, i, MapMillis)).ToList());
                    var indexes = results.Select(r => r.Index).ToList();
                    lost += MapTasks - indexes.Distinct().Count();
                    duplicated += indexes.Count - indexes.Distinct().Count() + indexes.Where((x, i) => x != i).Count();
                    mapItems += indexes.Count;
                    lostWork.AddRange(FinishedAndComputedAgain(marks, passStart, kills, cuts));
                    Directory.Delete(marks, recursive: true);
                    passes++;
                    Console.Error.WriteLine($"bench: soak: pass {passes} done at {clock.Elapsed.TotalMinutes:0.0} min; {kills.Count} kills so far; lost {lost}, duplicated {duplicated}");
                }
            }
            finally
            {
                chaos.Cancel();
                Task.WaitAll([sampler, monkey], TimeSpan.FromSeconds(60));
            }

            var series = samples.ToList();
            if (settings.PlotsDirectory is { } plots)
                Console.Error.WriteLine($"bench: soak: wrote {BenchPlots.Soak(Path.Combine(plots, "soak.png"), series, $"{settings.SoakMinutes} min, {slots} slots, {kills.Count} workers killed")}");
            // Memory after the first minutes against the end: flat means no growth.
            var settled = series.Where(s => s.Seconds >= Math.Min(120, length.TotalSeconds / 3)).ToList();
            return
            [
                new("soak", "minutes", Math.Round(clock.Elapsed.TotalMinutes, 1), ""),
                new("soak", "results_lost", lost, ""),
                new("soak", "results_duplicated", duplicated, ""),
                new("soak", "imap_items", imapItems, ""),
                new("soak", "map_items", mapItems, ""),
                new("soak", "workers_killed", kills.Count, ""),
                new("soak", "kills_during_maps", lostWork.Count(w => w.Event == "kill"), ""),
                new("soak", "recomputed_per_kill_max", lostWork.Where(w => w.Event == "kill").Select(w => w.Items).DefaultIfEmpty().Max(), ""),
                new("soak", "recomputed_per_kill_mean", Math.Round(lostWork.Where(w => w.Event == "kill").Select(w => (double)w.Items).DefaultIfEmpty().Average(), 1), ""),
                new("soak", "recomputed_per_cut_max", lostWork.Where(w => w.Event == "cut").Select(w => w.Items).DefaultIfEmpty().Max(), ""),
                new("soak", "coordinator_rss_settled_first", Math.Round(settled.FirstOrDefault()?.CoordinatorMiB ?? 0, 1), "MiB"),
                new("soak", "coordinator_rss_last", Math.Round(series.LastOrDefault()?.CoordinatorMiB ?? 0, 1), "MiB"),
                new("soak", "workers_rss_settled_first", Math.Round(settled.FirstOrDefault()?.WorkersMiB ?? 0, 1), "MiB"),
                new("soak", "workers_rss_last", Math.Round(series.LastOrDefault()?.WorkersMiB ?? 0, 1), "MiB"),
                new("soak", "items_per_s_mean", Math.Round(series.Count == 0 ? 0 : series.Average(s => s.ItemsPerSecond)), "1/s"),
            ];
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>
    /// Each kill or cut during a Map pass, with how many items that had finished before it (their first start at least a
    /// task's length earlier) were computed again after it: the work it cost, beyond the items that were running.
    /// </summary>
    private static IEnumerable<(string Event, int Items)> FinishedAndComputedAgain(string marks, long passStart, IEnumerable<long> kills, IEnumerable<long> cuts)
    {
        var events = kills.Select(t => (At: t, Event: "kill")).Concat(cuts.Select(t => (At: t, Event: "cut")))
            .Where(e => e.At >= passStart).OrderBy(e => e.At).ToList();
        var counts = events.ToDictionary(e => e.At, _ => 0);
        foreach (var starts in Directory.EnumerateFiles(marks).Select(f => Path.GetFileName(f).Split('.'))
                     .GroupBy(parts => parts[0], parts => long.Parse(parts[2])).Where(g => g.Count() > 1))
        {
            var ordered = starts.Order().ToList();
            for (var again = 1; again < ordered.Count; again++)
            {
                // The event that made it run again: the last one before this start that came after the first run ended.
                var cause = events.LastOrDefault(e => e.At <= ordered[again] && e.At >= ordered[0] + MapMillis);
                if (cause.Event is not null) counts[cause.At]++;
            }
        }
        return events.Select(e => (e.Event, counts[e.At]));
    }

    private static void Watch(Pool pool, List<RigHost> hosts, Stopwatch clock, ConcurrentQueue<Sample> samples, CancellationToken stop)
    {
        var lastDone = pool.Statistics.ItemsDone;
        var lastAt = clock.Elapsed.TotalSeconds;
        while (!stop.WaitHandle.WaitOne(SampleEvery))
        {
            var done = pool.Statistics.ItemsDone;
            var at = clock.Elapsed.TotalSeconds;
            var workers = hosts.Sum(h => ProcessStats.RssMiBOfTree(h.Process.Id)) + pool.LocalWorkerProcessIds.Sum(ProcessStats.RssMiB);
            samples.Enqueue(new Sample(at, ProcessStats.RssMiB(Environment.ProcessId), workers, (done - lastDone) / (at - lastAt)));
            (lastDone, lastAt) = (done, at);
        }
    }

    /// <summary>Kills a worker process every minute (a host's or a local one, in turn) and cuts a host off every ten minutes.</summary>
    private static void Chaos(Pool pool, ClusterRig rig, List<RigHost> hosts, Stopwatch clock, TimeSpan length, ConcurrentQueue<long> kills,
        ConcurrentQueue<long> cuts, CancellationToken stop)
    {
        var cutEvery = length < TimeSpan.FromMinutes(10) ? length / 2 : TimeSpan.FromMinutes(10);
        var nextCut = cutEvery;
        for (var minute = 1; !stop.IsCancellationRequested; minute++)
        {
            while (clock.Elapsed < TimeSpan.FromMinutes(minute) && !stop.IsCancellationRequested)
            {
                if (clock.Elapsed >= nextCut && clock.Elapsed < length)
                {
                    var machine = rig.Machines[(int)(nextCut / cutEvery) % rig.Machines.Count];
                    Console.Error.WriteLine($"bench: soak: cutting {machine.Address} off for {CutFor.TotalSeconds:0} s at {clock.Elapsed.TotalMinutes:0.0} min");
                    cuts.Enqueue(Environment.TickCount64);
                    machine.Cut();
                    stop.WaitHandle.WaitOne(CutFor);
                    machine.Heal();
                    nextCut += cutEvery;
                }
                stop.WaitHandle.WaitOne(200);
            }
            if (stop.IsCancellationRequested) return;
            // A worker process: a host's child (its supervisor starts another) or a local worker (the pool does).
            var victims = minute % 2 == 0
                ? pool.LocalWorkerProcessIds.ToList()
                : hosts.SelectMany(h => ProcessStats.Tree(h.Process.Id).Skip(1)).ToList();
            if (victims.Count == 0) continue;
            try { Process.GetProcessById(victims[Random.Shared.Next(victims.Count)]).Kill(); kills.Enqueue(Environment.TickCount64); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException) { } // it exited on its own meanwhile
        }
    }
}

/// <summary>The soak suite's task.</summary>
public static class SoakWorkloads
{
    /// <summary>Leaves a mark named after the item as it starts, sleeps, and returns the item's index.</summary>
    public static (int Index, int Pid) MarkedSleep((string Dir, int Index, int Millis) job)
    {
        File.Create(Path.Combine(job.Dir, $"{job.Index}.{Environment.ProcessId}.{Environment.TickCount64}")).Dispose();
        Thread.Sleep(job.Millis);
        return (job.Index, Environment.ProcessId);
    }
}
