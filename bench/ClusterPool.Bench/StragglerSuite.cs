using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// Issue 25's straggler run: four network-namespace "machines" of four worker processes each, joined over TLS as
/// by-hand hosts, one of them slowed to a fifth of its speed (<see cref="DutyCycle"/>: stopped 80 ms of every 100 ms).
/// A Map of ~110-ms items in chunks of 10, of three sizes, runs on the three healthy machines alone, then on all four with
/// backup copies off and on (<see cref="PoolOptions.Speculation"/>), in turns. The ideal it is held to: the three
/// healthy machines' 12 slots doing the Map's work at the pace its items ran, packed without a gap or any dispatch;
/// the figures are the mean over the sizes of each run's time against its ideal.
/// </summary>
internal static class StragglerSuite
{
    private const int Machines = 4, HostsPerMachine = 4, Chunksize = 10;
    // Three sizes: where the slow machine's last chunk ends against the others' depends on the size; over several, its
    // cost is what a user meets on average, not one size's luck.
    private static readonly int[] Sizes = [1000, 1150, 1300];
    private const double SlowMachineRuns = 0.2;
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(300);

    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel) =>
        ClusterRig.RunSuite("stragglers", Machines, cancel, (rig, certificate, _) => Measure(rig, certificate, cancel));

    private static string Seconds(IEnumerable<double> runs) => string.Join(" / ", runs.Select(t => $"{t:0.00}")) + " s";

    private static List<Figure> Measure(ClusterRig rig, string certificate, CancellationToken cancel)
    {
        using var pool = rig.StartPool(certificate);
        using var stop = cancel.Register(pool.Terminate);
        var app = typeof(StragglerSuite).Assembly.Location;
        var hosts = new List<RigHost>();
        List<RigHost> StartMachine(int m)
        {
            var started = Enumerable.Range(0, HostsPerMachine).Select(_ =>
                rig.StartHost(m, pool.Address, ["--app", app, "--slots", "1", "--cert", certificate])).ToList();
            hosts.AddRange(started);
            BenchPool.Verify(pool.WaitUntilReady(Patience, slots: hosts.Count),
                $"{hosts.Count} slots did not register within {Patience}");
            // JIT (its later tiers too) and connections, as in the runs measured; then the hosts' start-up work ends
            pool.Map(StragglerWorkloads.PriceSteps, Enumerable.Range(0, Sizes[0] / 4), chunksize: Chunksize);
            Settle(hosts);
            return started;
        }
        var itemSeconds = new List<double>();
        double Time(int items, bool speculative)
        {
            var clock = Stopwatch.StartNew();
            var results = pool.With(new CallOptions { Speculative = speculative })
                .Map(StragglerWorkloads.PriceSteps, Enumerable.Range(0, items), chunksize: Chunksize);
            var wall = clock.Elapsed.TotalSeconds;
            BenchPool.Verify(results.Count == items && results.Select(
                    (r, i) => Math.Abs(r.Value - StragglerWorkloads.PriceSteps(i, 1).Value) < 1e-9).All(ok => ok),
                "the Map's results are not each item's own");
            itemSeconds.AddRange(results.Select(r => r.Seconds));
            return wall;
        }

        for (var m = 0; m < Machines - 1; m++) StartMachine(m);
        var healthy = Sizes.Select(n => Time(n, speculative: false)).ToList();
        var slowHosts = StartMachine(Machines - 1);
        var (off, on) = (new List<double>(), new List<double>());
        itemSeconds.Clear();
        var before = pool.Statistics;
        using (new DutyCycle(slowHosts, SlowMachineRuns, Period))
        {
            foreach (var n in Sizes)
            {
                off.Add(Time(n, speculative: false));
                on.Add(Time(n, speculative: true));
            }
        }
        var after = pool.Statistics;
        // The ideal: every item at the healthy machines' pace in these runs (the median item: most run there), packed
        // without a gap onto their 12 slots, with no cost of dispatch at all.
        itemSeconds.Sort();
        var item = itemSeconds[itemSeconds.Count / 2];
        double Ideal(int n) => n * item / ((Machines - 1) * HostsPerMachine);
        double VsIdeal(List<double> walls) => walls.Select((w, i) => w / Ideal(Sizes[i])).Average();
        Console.Error.WriteLine($"bench: stragglers: {string.Join("/", Sizes)} items: healthy {Seconds(healthy)}, off {
            Seconds(off)}, on {Seconds(on)}, ideal {Seconds(Sizes.Select(Ideal))}");
        var chaos = UnderKills(pool, hosts, slowHosts, () => Time(Sizes[^1], speculative: true));
        const string Case = "stragglers_map";
        return
        [
            new(Case, "item_ms_median", Math.Round(item * 1000, 1), "ms"),
            new(Case, "ideal_3_healthy_machines", Math.Round(Sizes.Sum(Ideal), 2), "s"),
            new(Case, "wall_3_healthy_machines", Math.Round(healthy.Sum(), 2), "s"),
            new(Case, "wall_speculation_off", Math.Round(off.Sum(), 2), "s"),
            new(Case, "wall_speculation_on", Math.Round(on.Sum(), 2), "s"),
            new(Case, "healthy_vs_ideal", Math.Round(VsIdeal(healthy), 3), "x"),
            new(Case, "off_vs_ideal", Math.Round(VsIdeal(off), 3), "x"),
            new(Case, "on_vs_ideal", Math.Round(VsIdeal(on), 3), "x"),
            new(Case, "runs", on.Count, "", $"{string.Join("/", Sizes)} items: healthy {Seconds(healthy)}, off {
                Seconds(off)}, on {Seconds(on)}"),
            new(Case, "backups_started", after.BackupCopiesStarted - before.BackupCopiesStarted, ""),
            new(Case, "backups_won", after.BackupCopiesWon - before.BackupCopiesWon, ""),
            new(Case, "backup_time_saved", Math.Round((after.BackupTimeSaved - before.BackupTimeSaved).TotalSeconds, 1),
                "s"),
            .. chaos,
        ];
    }

    /// <summary>
    /// One more run with backup copies on, the slow machine still slow, and two hosts killed (kill -9 of the host and
    /// its supervisor) two thirds of the way through: one on the slow machine (its chunks likely have backups by then)
    /// and one on a healthy machine (it may run backups). Its results are checked like every run's: each item's own
    /// value, once.
    /// </summary>
    private static List<Figure> UnderKills(Pool pool, List<RigHost> hosts, List<RigHost> slowHosts, Func<double> run)
    {
        var before = pool.Statistics;
        using var throttle = new DutyCycle(slowHosts, SlowMachineRuns, Period);
        using var kills = new Timer(_ =>
        {
            slowHosts[0].KillNow();
            hosts[0].KillNow();
        }, null, TimeSpan.FromSeconds(8), Timeout.InfiniteTimeSpan);
        var wall = run();
        var after = pool.Statistics;
        const string Case = "stragglers_under_kills";
        return
        [
            new(Case, "wall", Math.Round(wall, 2), "s"),
            new(Case, "hosts_lost", after.WorkersLost - before.WorkersLost + after.HostsUnreachable - before.HostsUnreachable,
                ""),
            new(Case, "chunks_requeued", after.ChunksRequeued - before.ChunksRequeued, ""),
            new(Case, "backups_started", after.BackupCopiesStarted - before.BackupCopiesStarted, ""),
            new(Case, "backups_won", after.BackupCopiesWon - before.BackupCopiesWon, ""),
            Figure.Outcome(Case, "results", "every item's own value, once"),
        ];
    }

    /// <summary>Waits (up to 30 s) until the hosts use less than a tenth of a core between them: new processes
    /// compile for a while after their first tasks, and that would be measured as the runs' own cost.</summary>
    private static void Settle(List<RigHost> hosts)
    {
        double Cpu() => hosts.SelectMany(h => ProcessStats.Tree(h.Process.Id)).Sum(ProcessStats.CpuSeconds);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var last = Cpu();
        while (DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1000);
            var now = Cpu();
            if (now - last < 0.1) return;
            last = now;
        }
    }
}

/// <summary>The straggler suite's task.</summary>
public static class StragglerWorkloads
{
    private const int Steps = 100;

    /// <summary>
    /// 100 steps, each the mean of a fresh list of 32 prices behind an interface (objects, allocation, a virtual call)
    /// and a 1-ms sleep: an item of about 110 ms whose time follows how much of the time its process runs (a machine
    /// stopped 80 % of the time takes five times as long), and whose CPU (~1 %) leaves the box's two cores to its 16
    /// worker processes. Returns the item's value and how long it took.
    /// </summary>
    public static (double Value, double Seconds) PriceSteps(int item) => PriceSteps(item, Steps);

    /// <summary>The same with <paramref name="steps"/> steps (1: its value without the wait, for checking).</summary>
    public static (double Value, double Seconds) PriceSteps(int item, int steps)
    {
        var clock = Stopwatch.StartNew();
        var total = 0.0;
        for (var step = 0; step < steps; step++)
        {
            IReadOnlyList<double> prices = [.. Enumerable.Range(0, 32).Select(i => 100 + Math.Sin(item + i))];
            total += prices.Average();
            if (steps > 1) Thread.Sleep(1);
        }
        return (total / steps, clock.Elapsed.TotalSeconds);
    }
}
