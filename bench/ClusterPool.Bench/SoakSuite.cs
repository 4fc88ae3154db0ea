using System.Collections.Concurrent;
using System.Diagnostics;
using static ClusterPool.Bench.TinyTasks;

namespace ClusterPool.Bench;

/// <summary>
/// Issue 13's long run (ClusterPool only), <c>--minutes</c> long: two worker hosts on network-namespace machines
/// (TLS) and two local workers run, one after the other and again until the time is up, an IMap over
/// <see cref="BenchSettings.SoakImapItems"/> tiny items and a Map of 100,000 tasks of 10 ms; meanwhile a worker
/// process is killed every minute and a host is cut off for 20 s every ten minutes (once, half-way, in a shorter
/// run), with backup copies of straggling chunks on (<see cref="PoolOptions.Speculation"/>). Figures: results lost and
/// duplicated (both must be 0), finished items computed again after each kill and cut
/// (told apart by when each item started: every task leaves a mark), and the
/// coordinator's and the workers' memory and the throughput over time, also drawn as <c>soak.png</c> with
/// <c>--plots</c>.
/// </summary>
internal static class SoakSuite
{
    private const int MapTasks = 100_000, MapMillis = 10, SlotsPerHost = 4;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5), CutFor = TimeSpan.FromSeconds(20);

    /// <summary>
    /// One sample of the run: seconds since its start; memory in MiB (the coordinator's managed heap as the last
    /// garbage collection left it, and the memory the collector holds for it, to tell a leak from memory the runtime
    /// keeps); items done per second since the last sample, and the call that ran all that time (null when the run
    /// went from one to the other in between).
    /// </summary>
    public sealed record Sample(double Seconds, double CoordinatorMiB, double CoordinatorHeapMiB, double CoordinatorGcCommittedMiB, double WorkersMiB,
        double ItemsPerSecond, Phase? Phase);

    /// <summary>Which of a pass's two calls runs.</summary>
    public enum Phase { IMap, Map }

    /// <summary>The call running now, and how many times it changed: the sampler's way to know what a sample measured.</summary>
    private sealed class Running
    {
        private long _changes;
        private volatile int _phase;

        public Phase Now => (Phase)_phase;

        public long Changes => Interlocked.Read(ref _changes);

        public void Start(Phase phase)
        {
            _phase = (int)phase;
            Interlocked.Increment(ref _changes);
        }
    }

    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel) =>
        ClusterRig.RunSuite("soak", 2, cancel, (rig, certificate, folder) =>
            Measure(rig, certificate, folder, settings, cancel));

    private static List<Figure> Measure(ClusterRig rig, string certificate, string folder, BenchSettings settings,
        CancellationToken cancel)
    {
        var length = TimeSpan.FromMinutes(settings.SoakMinutes);
        // Backup copies on: a speculative copy must not yield a duplicate or lose a result under kills and cuts either.
        using var pool = rig.StartPool(certificate, options =>
        {
            options.LocalWorkers = 2;
            options.Speculation = true;
        });
        using var stop = cancel.Register(pool.Terminate);
        var app = typeof(SoakSuite).Assembly.Location;
        var hosts = Enumerable.Range(0, 2).Select(m => rig.StartHost(m, pool.Address, ["--app", app, "--slots", $"{SlotsPerHost}", "--cert", certificate])).ToList();
        var slots = 2 + 2 * SlotsPerHost;
        BenchPool.Verify(SpinWait.SpinUntil(() => pool.Slots == slots, TimeSpan.FromSeconds(120)), $"only {pool.Slots} of {slots} slots registered");

        var clock = Stopwatch.StartNew();
        var samples = new ConcurrentQueue<Sample>();
        var kills = new ConcurrentQueue<Blow>();
        var cuts = new ConcurrentQueue<Blow>();
        using var chaos = new CancellationTokenSource();
        var running = new Running();
        var sampler = Task.Run(() => Watch(pool, hosts, clock, running, samples, chaos.Token));
        var monkey = Task.Run(() => Chaos(pool, rig, hosts, clock, length, kills, cuts, chaos.Token));

        long lost = 0, duplicated = 0, imapItems = 0, mapItems = 0;
        var lostWork = new List<(string Event, int Items)>(); // finished items computed again, per kill or cut
        long unexplained = 0; // finished items computed again that no kill or cut explains
        var passes = 0;
        var perPass = new List<(double ImapPerSecond, double MapPerSecond)>();
        try
        {
            while (clock.Elapsed < length)
            {
                cancel.ThrowIfCancellationRequested();
                // The IMap: every result in its place, once (a duplicate or a gap shows as a wrong value or count).
                var n = settings.SoakImapItems;
                long seen = 0, wrong = 0;
                running.Start(Phase.IMap);
                var imapClock = Stopwatch.StartNew();
                foreach (var square in pool.IMap(Workloads.Square, Items(n), chunksize: 1000))
                {
                    if (square != seen * seen) wrong++;
                    seen++;
                }
                lost += Math.Max(0, n - seen);
                duplicated += Math.Max(0, seen - n) + wrong;
                imapItems += seen;
                var imapSeconds = imapClock.Elapsed.TotalSeconds;

                // The Map of 10 ms tasks: each leaves a mark as it starts, so a finished item computed again shows.
                var marks = Directory.CreateDirectory(Path.Combine(folder, $"marks-{passes}")).FullName;
                var passStart = Environment.TickCount64;
                running.Start(Phase.Map);
                var mapClock = Stopwatch.StartNew();
                var results = pool.Map(SoakWorkloads.MarkedSleep, Enumerable.Range(0, MapTasks).Select(i => (marks, i, MapMillis)).ToList());
                var indexes = results.Select(r => r.Index).ToList();
                lost += MapTasks - indexes.Distinct().Count();
                duplicated += indexes.Count - indexes.Distinct().Count() + indexes.Where((x, i) => x != i).Count();
                mapItems += indexes.Count;
                perPass.Add((seen / imapSeconds, MapTasks / mapClock.Elapsed.TotalSeconds));
                var (perBlow, other) = FinishedAndComputedAgain(marks, passStart, kills.Concat(cuts));
                lostWork.AddRange(perBlow);
                unexplained += other;
                foreach (var (what, items) in perBlow) Console.Error.WriteLine($"bench: soak: {what}: {items} finished items computed again");
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
            new("soak", "backups_started", pool.Statistics.BackupCopiesStarted, ""),
            new("soak", "backups_won", pool.Statistics.BackupCopiesWon, ""),
            new("soak", "kills_during_maps", lostWork.Count(w => w.Event.StartsWith("kill")), ""),
            new("soak", "recomputed_per_kill_max", lostWork.Where(w => w.Event.StartsWith("kill")).Select(w => w.Items).DefaultIfEmpty().Max(), ""),
            new("soak", "recomputed_per_kill_mean", Math.Round(lostWork.Where(w => w.Event.StartsWith("kill")).Select(w => (double)w.Items).DefaultIfEmpty().Average(), 1), ""),
            new("soak", "recomputed_per_cut_max", lostWork.Where(w => w.Event.StartsWith("cut")).Select(w => w.Items).DefaultIfEmpty().Max(), ""),
            new("soak", "recomputed_unexplained", unexplained, ""),
            new("soak", "coordinator_rss_settled_first", Math.Round(settled.FirstOrDefault()?.CoordinatorMiB ?? 0, 1), "MiB"),
            new("soak", "coordinator_rss_last", Math.Round(series.LastOrDefault()?.CoordinatorMiB ?? 0, 1), "MiB"),
            new("soak", "coordinator_heap_settled_first", Math.Round(settled.FirstOrDefault()?.CoordinatorHeapMiB ?? 0, 1), "MiB"),
            new("soak", "coordinator_heap_last", Math.Round(series.LastOrDefault()?.CoordinatorHeapMiB ?? 0, 1), "MiB"),
            new("soak", "coordinator_gc_committed_settled_first", Math.Round(settled.FirstOrDefault()?.CoordinatorGcCommittedMiB ?? 0, 1), "MiB"),
            new("soak", "coordinator_gc_committed_last", Math.Round(series.LastOrDefault()?.CoordinatorGcCommittedMiB ?? 0, 1), "MiB"),
            new("soak", "workers_rss_settled_first", Math.Round(settled.FirstOrDefault()?.WorkersMiB ?? 0, 1), "MiB"),
            new("soak", "workers_rss_last", Math.Round(series.LastOrDefault()?.WorkersMiB ?? 0, 1), "MiB"),
            new("soak", "items_per_s_mean", Math.Round(series.Count == 0 ? 0 : series.Average(s => s.ItemsPerSecond)), "1/s"),
            // Throughput over time: each call's rate in the first pass and in the last.
            new("soak", "imap_items_per_s_first_pass", Math.Round(perPass.FirstOrDefault().ImapPerSecond), "1/s"),
            new("soak", "imap_items_per_s_last_pass", Math.Round(perPass.LastOrDefault().ImapPerSecond), "1/s"),
            new("soak", "map_tasks_per_s_first_pass", Math.Round(perPass.FirstOrDefault().MapPerSecond), "1/s"),
            new("soak", "map_tasks_per_s_last_pass", Math.Round(perPass.LastOrDefault().MapPerSecond), "1/s"),
        ];
    }

    /// <summary>
    /// A kill or a cut: when it began and ended (<see cref="Environment.TickCount64"/>; a kill is over at once, a cut host
    /// goes on working until it is healed, and what it finishes meanwhile may be lost too), and the processes it hit.
    /// </summary>
    private sealed class Blow(string @event, long at, long until, IReadOnlySet<int> pids)
    {
        public string Event => @event;

        public long At => at;

        /// <summary>When it ended: a kill at once; a cut at its heal, <see cref="long.MaxValue"/> until then.</summary>
        public long Until { get; set; } = until;

        public IReadOnlySet<int> Pids => pids;
    }

    /// <summary>
    /// Each kill or cut during a Map pass, with how many items that had finished on a process it hit (their first start
    /// at least a task's length before it) were computed again after it: the work it cost, beyond the items that were
    /// running. Every task's mark names its process, so a blow is charged only for its own victims' work; re-runs that
    /// no blow explains are counted apart (they should not happen).
    /// </summary>
    private static (List<(string Event, int Items)> PerBlow, long Unexplained) FinishedAndComputedAgain(string marks, long passStart, IEnumerable<Blow> blows)
    {
        // Also a cut that began before the pass and still held when it started.
        var events = blows.Where(e => e.Until >= passStart).OrderBy(e => e.At).ToList();
        var counts = new int[events.Count];
        long unexplained = 0;
        foreach (var item in SoakWorkloads.Marks(marks).GroupBy(run => run.Item).Where(g => g.Count() > 1))
        {
            var ordered = item.OrderBy(run => run.At).ToList();
            var first = ordered[0];
            // The blow that made it run again: one that hit the process of its first run, which ended before the blow did.
            var cause = events.FindLastIndex(e => e.Pids.Contains(first.Pid) && e.Until >= first.At + MapMillis && e.At <= ordered[1].At);
            if (cause >= 0) counts[cause] += ordered.Count - 1;
            else if (ordered[1].At >= first.At + MapMillis) unexplained += ordered.Count - 1;
        }
        return (events.Select((e, i) => (e.Event, counts[i])).ToList(), unexplained);
    }

    private static void Watch(Pool pool, List<RigHost> hosts, Stopwatch clock, Running running, ConcurrentQueue<Sample> samples, CancellationToken stop)
    {
        var lastDone = pool.Statistics.ItemsDone;
        var lastAt = clock.Elapsed.TotalSeconds;
        var lastChanges = running.Changes;
        while (!stop.WaitHandle.WaitOne(SampleEvery))
        {
            var (done, changes, phase) = (pool.Statistics.ItemsDone, running.Changes, running.Now);
            var at = clock.Elapsed.TotalSeconds;
            var workers = hosts.Sum(h => ProcessStats.RssMiBOfTree(h.Process.Id)) + pool.LocalWorkerProcessIds.Sum(ProcessStats.RssMiB);
            var gc = GC.GetGCMemoryInfo(); // the pool runs in this process
            var s = new Sample(at, ProcessStats.RssMiB(Environment.ProcessId), gc.HeapSizeBytes / 1048576.0, gc.TotalCommittedBytes / 1048576.0,
                workers, (done - lastDone) / (at - lastAt), changes == lastChanges ? phase : null);
            samples.Enqueue(s);
            if (samples.Count % 12 == 0) // once a minute, for a run watched as it goes
                Console.Error.WriteLine($"bench: soak: memory at {at / 60:0} min (MiB): coordinator RSS {s.CoordinatorMiB:0}, managed heap " +
                    $"{s.CoordinatorHeapMiB:0}, held by its GC {s.CoordinatorGcCommittedMiB:0}, methods compiled {System.Runtime.JitInfo.GetCompiledMethodCount():N0}; workers' RSS {s.WorkersMiB:0}");
            (lastDone, lastAt, lastChanges) = (done, at, changes);
        }
    }

    /// <summary>Kills a worker process every minute (a host's or a local one, in turn) and cuts a host off every ten minutes.</summary>
    private static void Chaos(Pool pool, ClusterRig rig, List<RigHost> hosts, Stopwatch clock, TimeSpan length, ConcurrentQueue<Blow> kills,
        ConcurrentQueue<Blow> cuts, CancellationToken stop)
    {
        var cutEvery = length <= TimeSpan.FromMinutes(10) ? length / 2 : TimeSpan.FromMinutes(10);
        var nextCut = cutEvery;
        for (var minute = 1; !stop.IsCancellationRequested; minute++)
        {
            while (clock.Elapsed < TimeSpan.FromMinutes(minute) && !stop.IsCancellationRequested)
            {
                if (clock.Elapsed >= nextCut && clock.Elapsed < length)
                {
                    var m = (int)(nextCut / cutEvery) % rig.Machines.Count;
                    var machine = rig.Machines[m];
                    Console.Error.WriteLine($"bench: soak: cutting {machine.Address} off for {CutFor.TotalSeconds:0} s at {clock.Elapsed.TotalMinutes:0.0} min");
                    var cutOff = hosts.Where(h => h.Machine == m).SelectMany(h => ProcessStats.Tree(h.Process.Id)).ToHashSet();
                    // Known from its start: a pass that ends during the cut charges it for the cut host's work so far.
                    var cut = new Blow($"cut at {clock.Elapsed.TotalMinutes:0.0} min", Environment.TickCount64, long.MaxValue, cutOff);
                    cuts.Enqueue(cut);
                    machine.Cut();
                    stop.WaitHandle.WaitOne(CutFor);
                    machine.Heal();
                    cut.Until = Environment.TickCount64;
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
            var victim = victims[Random.Shared.Next(victims.Count)];
            try
            {
                Process.GetProcessById(victim).Kill();
                var kind = minute % 2 == 0 ? "a local worker" : "a host's worker process";
                kills.Enqueue(new Blow($"kill of {kind} at {clock.Elapsed.TotalMinutes:0.0} min", Environment.TickCount64, Environment.TickCount64, new HashSet<int> { victim }));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException) { } // it exited on its own meanwhile
        }
    }
}

/// <summary>The soak suite's task.</summary>
public static class SoakWorkloads
{
    /// <summary>Leaves a mark named after the item as it starts, sleeps, and returns the item's index.</summary>
    public static (int Index, int Pid) MarkedSleep((string Dir, int Index, int Millis) call)
    {
        File.Create(Path.Combine(call.Dir, $"{call.Index}.{Environment.ProcessId}.{Environment.TickCount64}")).Dispose();
        Thread.Sleep(call.Millis);
        return (call.Index, Environment.ProcessId);
    }

    /// <summary>Every run <see cref="MarkedSleep"/> marked in <paramref name="dir"/>: the item, the process it ran in, when it started.</summary>
    public static IEnumerable<(int Item, int Pid, long At)> Marks(string dir) =>
        Directory.EnumerateFiles(dir).Select(f => Path.GetFileName(f).Split('.'))
            .Select(parts => (int.Parse(parts[0]), int.Parse(parts[1]), long.Parse(parts[2])));
}
