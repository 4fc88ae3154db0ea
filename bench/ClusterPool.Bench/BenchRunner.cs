using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ClusterPool.Bench;

/// <summary>
/// Runs each suite on ClusterPool, then the matching Python script, one after the other (never both at once: they
/// would compete for the same cores), pairs the figures and prints them.
/// </summary>
internal static class BenchRunner
{
    /// <summary>Runs the suites of <paramref name="settings"/>; 0 if every side ran, 1 if one failed (a target not met is no failure).</summary>
    public static int Run(BenchSettings settings, CancellationToken cancel)
    {
        // Stdout carries only the figures: anything else written there while the pools run (Akka prints some shutdown
        // warnings straight to the console) goes to stderr instead.
        var stdout = Console.Out;
        Console.SetOut(Console.Error);
        try { return Run(settings, stdout, cancel); }
        finally { Console.SetOut(stdout); }
    }

    private static int Run(BenchSettings settings, TextWriter stdout, CancellationToken cancel)
    {
        var withPython = settings.Python is not null && settings.BaselinesDirectory is not null;
        var pythonVersion = withPython ? PythonBaseline.Version(settings.Python!) : null;
        var rows = new List<BenchRow>();
        var failures = 0;
        foreach (var suite in settings.Suites)
        {
            // Spares an earlier suite's pools left for a next pool must not start (or wait) while this one measures.
            Workers.SpareWorkers.Shared.KillAll();
            var ours = Measure($"{suite.Name}: ClusterPool", () => suite.Run(settings, cancel), cancel, ref failures);
            Workers.SpareWorkers.Shared.KillAll(); // nor while Python's side does
            IReadOnlyList<Figure> theirs = [];
            if (withPython && suite.Script is not null)
            {
                var args = suite.PythonArgs(settings);
                theirs = Measure($"{suite.Name}: python3 {suite.Script} {string.Join(' ', args)}",
                    () => PythonBaseline.Run(settings.Python!, settings.BaselinesDirectory!, suite.Script, args, cancel), cancel, ref failures);
            }
            var paired = BenchRow.Pair(suite.Name, ours, theirs);
            // JSON goes out suite by suite, so a long run shows progress and a crash keeps what was measured.
            if (settings.Json) BenchTable.WriteJson(stdout, paired);
            rows.AddRange(paired);
        }
        if (!settings.Json) BenchTable.Write(stdout, rows, Heading(settings, pythonVersion), Notes(settings, withPython));
        if (settings.PlotsDirectory is { } plots)
            foreach (var file in BenchPlots.Write(plots, rows, Heading(settings, pythonVersion)))
                Console.Error.WriteLine($"bench: plot {file}");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Runs one side of a suite, timing it on stderr; a failure is reported and counted, not thrown, so the other suites still run.</summary>
    private static IReadOnlyList<Figure> Measure(string what, Func<IReadOnlyList<Figure>> run, CancellationToken cancel, ref int failures)
    {
        Console.Error.WriteLine($"bench: {what} ...");
        var clock = Stopwatch.StartNew();
        try
        {
            var figures = run();
            Console.Error.WriteLine($"bench: {what}: {figures.Count} figures in {clock.Elapsed.TotalSeconds:0.0} s");
            return figures;
        }
        catch (Exception e) when (!cancel.IsCancellationRequested)
        {
            failures++;
            Console.Error.WriteLine($"bench: {what} FAILED: {e.GetType().Name}: {e.Message}");
            return e is PythonScriptException script ? script.Figures : [];
        }
    }

    private static string Heading(BenchSettings settings, string? pythonVersion) =>
        $"clusterpool bench, {DateTime.Now:yyyy-MM-dd HH:mm}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, " +
        $".NET {Environment.Version}, {settings.Processes} worker processes" + (pythonVersion is null ? "" : $", vs Python {pythonVersion}");

    private static IEnumerable<string> Notes(BenchSettings settings, bool withPython)
    {
        yield return "ratio: how many times better ClusterPool is (ours/Python for throughput, Python/ours for times, latency and memory): > 1 means ClusterPool is better.";
        if (settings.Suites.Any(s => s.Name == "cpu"))
            yield return $"cpu: ClusterPool spins {settings.CpuRounds:N0} rounds per item, Python {settings.PythonCpuRounds:N0} (C# is far faster per round), " +
                         "so only speedup and efficiency compare, not the times.";
        if (settings.Suites.Any(s => s.Name == "latency_bound"))
            yield return $"latency_bound: {settings.LatencyTasks:N0} busy-wait tasks per cell (1, 4 or 16 ms of CPU each), imap and imap_unordered with chunksize 1, " +
                         "apply_async one call per task; efficiency = ideal time (tasks x ms / processes) / wall time.";
        if (settings.Suites.Any(s => s.Name == "resilience"))
            yield return "resilience: the multiprocessing.Pool and ProcessPoolExecutor rows are worker_death.py's; ClusterPool's side runs MapAsync (chunksize 1) " +
                         "and one ApplyAsync per item on a pool of 2, with 60 s to finish instead of 10. Their walls time different outcomes, hence no ratio.";
        if (settings.Suites.Any(s => s.Name == "ssh"))
            yield return $"ssh: {SshSuite.Machines} network-namespace machines running Debian's sshd on this box's cores, one slot each, this process the coordinator; " +
                         "all_ready: Pool.Start to every slot registered; shipped: all hosts together. No Python side: multiprocessing.Pool starts no process on " +
                         "another machine, and its peers that do (Dask's SSHCluster, Ray's cluster launcher) ship nothing: Python and the code must be on every host first " +
                         "(Dask's is not measured here: docs/benchmarks.md says why).";
        if (!withPython)
            yield return "Python did not run (--no-python, no python3 on PATH, or no baselines folder): relative targets show n/a.";
    }
}
