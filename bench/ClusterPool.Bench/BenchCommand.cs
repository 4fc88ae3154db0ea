using System.CommandLine;
using ClusterPool.Bench;

namespace ClusterPool.Cli;

/// <summary>
/// The <c>bench</c> command: ClusterPool and Python's multiprocessing.Pool side by side, on the same workloads
/// (<c>bench/python</c> in this repository), in one run; a table of both sides' figures, their ratio and the targets.
/// </summary>
public static class BenchCommand
{
    /// <summary>
    /// Builds the command and its options; <paramref name="guarded"/> runs its body with Ctrl+C wired to cancellation and
    /// errors turned into exit codes, as every command of the tool.
    /// </summary>
    public static Command Create(Func<Func<CancellationToken, int>, int> guarded)
    {
        var suite = new Option<string>("--suite")
        {
            Description = $"Comma-separated suites among {string.Join(", ", BenchSuite.All.Select(s => s.Name))} (seed_demo takes about a minute a side, latency_bound a few minutes)",
            DefaultValueFactory = _ => BenchSuite.DefaultNames,
        };
        var scaleProcesses = new Option<string>("--scale-processes") { Description = "Pool sizes of the startup_scale suite, comma-separated", DefaultValueFactory = _ => "2,8,16,64" };
        var idleSeconds = new Option<double>("--idle-seconds") { Description = "How long the idle suite watches an idle pool", DefaultValueFactory = _ => 30 };
        var n = new Option<int>("--n") { Description = "Tiny tasks per overhead case", DefaultValueFactory = _ => 100_000 };
        var processes = new Option<int>("--processes") { Description = "Worker processes for startup, overhead and cpu (memory uses 2 and seed_demo 3, as their scripts)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cpuItems = new Option<int>("--cpu-items") { Description = "Items of the cpu suite (both sides)", DefaultValueFactory = _ => 64 };
        var cpuRounds = new Option<int>("--cpu-rounds") { Description = "Spin rounds per cpu item on ClusterPool (C# is over 100x faster per round than CPython)", DefaultValueFactory = _ => 20_000_000 };
        var pythonCpuRounds = new Option<int>("--python-cpu-rounds") { Description = "Spin rounds per cpu item for cpu.py", DefaultValueFactory = _ => 200_000 };
        var latencyTasks = new Option<int>("--latency-tasks") { Description = "Busy-wait tasks per cell of the latency_bound suite (both sides)", DefaultValueFactory = _ => 1_500 };
        var memoryN = new Option<int>("--memory-n") { Description = "Items of the memory suite's lazy input", DefaultValueFactory = _ => 2_000_000 };
        var scale = new Option<double>("--scale") { Description = "seed_demo: multiply the 3, 2, 1 s sleeps by this", DefaultValueFactory = _ => 1.0 };
        var sweepSizes = new Option<string>("--sweep-sizes") { Description = "Tasks per call of the sweep suite, comma-separated", DefaultValueFactory = _ => "1000,10000,100000,1000000" };
        var repeat = new Option<int>("--repeat") { Description = "Runs of each overhead and sweep case, on both sides; the best counts", DefaultValueFactory = _ => 3 };
        var scaleHosts = new Option<int>("--scale-hosts") { Description = "Machines (network namespaces) of the scale suite, one worker host each", DefaultValueFactory = _ => 8 };
        var scaleSlots = new Option<int>("--scale-slots") { Description = "Slots of each of the scale suite's worker hosts", DefaultValueFactory = _ => 128 };
        var minutes = new Option<double>("--minutes") { Description = "How long the soak suite runs", DefaultValueFactory = _ => 60 };
        var soakItems = new Option<int>("--soak-imap-items") { Description = "Tiny items of each IMap pass of the soak suite", DefaultValueFactory = _ => 10_000_000 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of the two_kill suite", DefaultValueFactory = _ => 20 };
        var plots = new Option<string?>("--plots") { Description = "Write PNG plots into this folder: throughput.png (sweep) and startup.png (startup_scale)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per figure on stdout instead of the table" };
        var noPython = new Option<bool>("--no-python") { Description = "Run only ClusterPool's side" };
        // The crash suite's program, started by the suite itself and killed with kill -9: not for people.
        var crashRun = new Option<string?>("--crash-run") { Description = "Run the crash suite's Map with a checkpoint in this folder", Hidden = true };
        var realworkSerial = new Option<int?>("--realwork-serial") { Description = "Value this many trades of the realwork book serially; print the seconds", Hidden = true };
        var baselines = new Option<string?>("--baselines") { Description = "The folder of the Python scripts (default: the copy of bench/python beside this program)" };

        // The scale suite's hosts that come and go: one joins late, one is killed, one gets SIGTERM, one is cut off.
        NumberOption.Require(scaleHosts, h => h >= 4, "at least 4 (one joins late, one is killed, one gets SIGTERM, one is cut off)");
        NumberOption.Require(scaleSlots, s => s >= 1, "at least 1");
        NumberOption.Require(minutes, m => m > 0, "more than 0");
        suite.Validators.Add(r =>
        {
            var unknown = Names(r.GetValue(suite)).Where(name => BenchSuite.Named(name) is null).ToList();
            if (unknown.Count > 0) r.AddError($"--suite: unknown {string.Join(", ", unknown)}; choose among {string.Join(", ", BenchSuite.All.Select(s => s.Name))}");
        });
        foreach (var positive in new[] { n, processes, cpuItems, cpuRounds, pythonCpuRounds, latencyTasks, memoryN, rounds, repeat })
            NumberOption.Require(positive, v => v > 0, "at least 1");
        foreach (var (list, example) in new[] { (scaleProcesses, "2,8,16,64"), (sweepSizes, "1000,10000,100000") })
            list.Validators.Add(r =>
            {
                if (!Names(r.GetValue(list)).All(n => int.TryParse(n, out var p) && p > 0)) r.AddError($"{list.Name} must list positive whole numbers, e.g. {example}");
            });
        NumberOption.Require(idleSeconds, s => s > 0, "more than 0");
        NumberOption.Require(scale, s => s >= 0, "0 or more");

        var bench = new Command("bench", "Side-by-side benchmarks against Python's multiprocessing.Pool (bench/python).");
        foreach (var option in new Option[] { suite, scaleProcesses, scaleHosts, scaleSlots, minutes, soakItems, idleSeconds, n, sweepSizes, repeat, processes, cpuItems, cpuRounds, pythonCpuRounds, latencyTasks, memoryN, scale, rounds, plots, json, noPython, baselines, crashRun, realworkSerial })
            bench.Options.Add(option);
        bench.SetAction(parse => guarded(cancel =>
        {
            if (parse.GetValue(crashRun) is { } crashFolder) return CrashSuite.RunOnce(crashFolder);
            if (parse.GetValue(realworkSerial) is { } trades) return ClusterPool.Bench.RealWork.RealWorkSuite.SerialRun(trades);
            var (folder, interpreter) = parse.GetValue(noPython) ? (null, null) : FindPython(parse.GetValue(baselines));
            var settings = new BenchSettings
            {
                // Always in BenchSuite.All's order, whatever the order asked: start-up must run first, in a cold process.
                Suites = BenchSuite.All.Where(s => Names(parse.GetValue(suite)).Contains(s.Name)).ToList(),
                IdleSeconds = parse.GetValue(idleSeconds),
                ScaleProcesses = [.. Names(parse.GetValue(scaleProcesses)).Select(int.Parse)],
                OverheadTasks = parse.GetValue(n),
                SweepSizes = [.. Names(parse.GetValue(sweepSizes)).Select(int.Parse)],
                TwoKillRounds = parse.GetValue(rounds),
                ScaleHosts = parse.GetValue(scaleHosts),
                SoakMinutes = parse.GetValue(minutes),
                SoakImapItems = parse.GetValue(soakItems),
                ScaleSlotsPerHost = parse.GetValue(scaleSlots),
                Repeat = parse.GetValue(repeat),
                PlotsDirectory = parse.GetValue(plots),
                Processes = parse.GetValue(processes),
                CpuItems = parse.GetValue(cpuItems),
                CpuRounds = parse.GetValue(cpuRounds),
                PythonCpuRounds = parse.GetValue(pythonCpuRounds),
                LatencyTasks = parse.GetValue(latencyTasks),
                MemoryItems = parse.GetValue(memoryN),
                SeedScale = parse.GetValue(scale),
                Json = parse.GetValue(json),
                BaselinesDirectory = folder,
                Python = interpreter,
            };
            return BenchRunner.Run(settings, cancel);
        }));
        return bench;
    }

    private static IEnumerable<string> Names(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The baselines folder and python3, or nulls with a note on stderr saying why only ClusterPool runs.</summary>
    private static (string? Folder, string? Python) FindPython(string? given)
    {
        var folder = PythonBaseline.Locate(given);
        if (folder is null)
        {
            Console.Error.WriteLine("bench: note: the Python scripts (bench-python/ beside this program) are missing; " +
                                    "pass --baselines DIR to compare with Python. Running ClusterPool's side only.");
            return (null, null);
        }
        var python = PythonBaseline.FindPython();
        if (python is null)
        {
            Console.Error.WriteLine("bench: note: python3 is not on PATH; running ClusterPool's side only.");
            return (null, null);
        }
        Console.Error.WriteLine($"bench: Python baselines: {folder} with {python}");
        return (folder, python);
    }
}
