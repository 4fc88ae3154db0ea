using System.Diagnostics;
using System.Text.Json;
using ClusterPool.Cli;
using Spectre.Console;

namespace ClusterPool.Demo;

/// <summary>
/// The seed article's demo (<c>shared/baselines/python/seed_demo.py</c>): tasks sleeping 3, 2 and 1 s (times the
/// scale) through all eight methods, on one pool of worker processes; each method's rows and wall time.
/// </summary>
internal static class DemoRunner
{
    /// <summary>Runs the demo; returns the exit code.</summary>
    public static int Run(double scale, int processes, bool json, string? listen, string? dashboard,
        HostsChoice hosts, CancellationToken cancel)
    {
        // With --json, stdout carries the JSON lines and nothing else: any stray line a library prints goes to stderr.
        var stdout = Console.Out;
        if (json) Console.SetOut(Console.Error);
        try { return Run(scale, processes, json ? stdout : null, listen, dashboard, hosts, cancel); }
        finally { Console.SetOut(stdout); }
    }

    private static int Run(double scale, int processes, TextWriter? jsonOut, string? listen, string? dashboard,
        HostsChoice hosts, CancellationToken cancel)
    {
        var json = jsonOut is not null;
        (double, string)[] data = [(Math.Round(3 * scale, 3), "c"), (Math.Round(2 * scale, 3), "b"),
            (Math.Round(1 * scale, 3), "a")];
        var started = Stopwatch.StartNew();
        var options = new PoolOptions { Processes = processes, ListenAddress = listen, Dashboard = dashboard };
        hosts.ApplyTo(options);
        using var pool = Pool.Start(options);
        ClusterPoolCommand.AnnounceDashboard(pool);
        // Ctrl+C and SIGTERM: the pool itself stops cleanly (PoolOptions.HandleInterrupts) and the call below fails
        // with PoolInterruptedException, which the command turns into exit code 130.
        if (hosts.Any)
        {
            // The pool started its hosts (Pool.Start returns once each runs or failed): wait for their slots and
            // the local workers', then show what each host is.
            WaitForWorkers(pool, null, cancel);
            if (!json) PrintHosts(pool);
        }
        else if (listen is not null)
        {
            // Worker hosts are started by hand, maybe on other machines: wait for them as long as it takes.
            Console.Error.WriteLine(
                $"clusterpool demo: listening on {pool.Address}; start {processes} worker host(s) with: " +
                                    $"clusterpool worker --join {pool.Address}");
            while (!pool.WaitUntilReady(TimeSpan.FromMilliseconds(200),
                slots: processes)) cancel.ThrowIfCancellationRequested();
        }
        else WaitForWorkers(pool, processes, cancel);
        // Each worker's first call loads the function and builds its serializers (~0.5 s, once): do that before the
        // clock starts, as Python's workers have nothing to load. One warm-up task per slot (a host's slots share
        // one process, but each slot may be the first to run).
        var slots = Math.Max(processes, pool.Slots);
        pool.StarMap(DemoTasks.SleepTask, Enumerable.Repeat((0.0, "warm-up"), slots), chunksize: 1);
        pool.Map(DemoTasks.Star, Enumerable.Repeat((0.0, "warm-up"), slots), chunksize: 1);
        var ready = started.Elapsed.TotalSeconds;
        if (!json) AnsiConsole.MarkupLine(
            $"[grey]{slots} workers ready, warmed up, in {ready:F2} s " +
            $"(coordinator pid {Environment.ProcessId})[/]");

        var total = Stopwatch.StartNew();
        foreach (var (name, run) in DemoTasks.Methods)
        {
            var clock = Stopwatch.StartNew();
            // A bar in a terminal only: written to a file or a pipe, Spectre.Console would print a line per update
            // instead.
            var rows = json || !AnsiConsole.Profile.Capabilities.Interactive
                ? run(pool, data)
                : WithProgressBar(name, data.Length, progress =>
                    run(pool.With(new CallOptions { Progress = progress }), data));
            var wall = clock.Elapsed.TotalSeconds;
            if (jsonOut is not null) PrintJson(jsonOut, name, wall, rows);
            else PrintTable(name, wall, rows);
        }
        if (!json) AnsiConsole.MarkupLine($"[grey]all eight methods: {total.Elapsed.TotalSeconds:F2} s[/]");
        return 0;
    }

    /// <summary>Runs one method under a progress bar fed by its calls' progress reports; the bar goes once it is
    /// done.</summary>
    private static T WithProgressBar<T>(string method, int items, Func<IProgress<CallProgress>, T> run) =>
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn())
            .Start(context => run(new CallsProgressBar(context.AddTask(method, maxValue: items))));

    private static void PrintJson(TextWriter output, string method, double wall,
        IReadOnlyList<(double, string, int, int)> rows) =>
        output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["method"] = method,
            ["wall_s"] = Math.Round(wall, 3),
            ["results"] = rows.Select(r => new object[] { r.Item1, r.Item2, r.Item3, r.Item4 }).ToList(),
        }));

    private static void PrintTable(string method, double wall, IReadOnlyList<(double, string, int, int)> rows)
    {
        var table = new Table().Title($"{method}  [bold]{wall:F2} s[/]").AddColumns("number", "text", "ppid", "pid");
        foreach (var (number, text, ppid, pid) in rows) table.AddRow($"{number:0.###}", text, $"{ppid}", $"{pid}");
        AnsiConsole.Write(table);
    }

    /// <summary>
    /// Waits for the workers as long as they keep coming: many workers on few cores (or under Wine) take minutes, but
    /// three minutes in which not one more registers mean they will not.
    /// </summary>
    /// <param name="pool">The pool.</param>
    /// <param name="slots">The slots to wait for; null for the pool's own count (its local workers, and the slots of
    /// the hosts it started that run).</param>
    /// <param name="cancel">Ctrl+C.</param>
    private static void WaitForWorkers(Pool pool, int? slots, CancellationToken cancel)
    {
        var stalledFor = TimeSpan.FromMinutes(3);
        var (seen, since) = (pool.Slots, Stopwatch.StartNew());
        while (!pool.WaitUntilReady(TimeSpan.FromMilliseconds(500), slots))
        {
            cancel.ThrowIfCancellationRequested();
            if (pool.Slots > seen) (seen, since) = (pool.Slots, Stopwatch.StartNew());
            else if (since.Elapsed > stalledFor)
                throw new TimeoutException(
                    $"only {pool.Slots}{(slots is { } n ? $" of {n}" : "")} worker slots registered, and none more " +
                    $"in the last {stalledFor.TotalSeconds:F0} s");
        }
    }

    /// <summary>One line per host of the pool's: whether its worker host runs, its slots, what was shipped to it,
    /// and why it does not run.</summary>
    private static void PrintHosts(Pool pool)
    {
        foreach (var host in pool.RemoteHosts)
        {
            var name = $"host {host.Host}: ";
            var shipped = host.ShippedFiles == 0 ? "nothing shipped (its cache had this build)"
                : $"shipped {host.ShippedFiles} files, {host.ShippedBytes / 1e6:F1} MB";
            var line = host.State == RemoteHostState.Running
                ? $"{name}running, {host.Slots} slots, {shipped}"
                // The failure names the host first already.
                : $"{name}{host.State.ToString().ToLowerInvariant()}: " + (host.Failure is { } why
                    ? why.StartsWith(name, StringComparison.Ordinal) ? why[name.Length..] : why : "no reason given");
            AnsiConsole.MarkupLine(host.State == RemoteHostState.Running
                ? $"[grey]{Markup.Escape(line)}[/]" : $"[yellow]{Markup.Escape(line)}[/]");
        }
    }
}
