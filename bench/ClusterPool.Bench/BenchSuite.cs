namespace ClusterPool.Bench;

/// <summary>
/// One benchmark suite: ClusterPool's side, and the Python script (with its arguments) that measures the same thing.
/// </summary>
/// <param name="Name">The name <c>--suite</c> takes.</param>
/// <param name="Script">The Python script in the baselines folder; null where Python has no side (its pool hangs on the first kill).</param>
/// <param name="PythonArgs">The script's arguments for these settings.</param>
/// <param name="Run">ClusterPool's side: its figures, named as the script names them.</param>
public sealed record BenchSuite(
    string Name,
    string? Script,
    Func<BenchSettings, IReadOnlyList<string>> PythonArgs,
    Func<BenchSettings, CancellationToken, IReadOnlyList<Figure>> Run)
{
    /// <summary>Every suite, in the order they run: start-up first, so it is measured in a cold process like Python's.</summary>
    public static readonly IReadOnlyList<BenchSuite> All =
    [
        new("startup", "startup.py", s => ["--processes", $"{s.Processes}"], StartupSuite.Run),
        new("idle", "idle.py", s => ["--processes", $"{IdleSuite.Processes}", "--seconds", $"{s.IdleSeconds}"], IdleSuite.Run),
        new("startup_scale", "startup_scale.py", s => ["--processes", string.Join(",", s.ScaleProcesses)], ScaleStartupSuite.Run),
        new("sweep", "sweep.py", s => ["--sizes", string.Join(",", s.SweepSizes), "--processes", $"{s.Processes}", "--repeat", $"{s.Repeat}"], SweepSuite.Run),
        new("overhead", "overhead.py", s => ["--n", $"{s.OverheadTasks}", "--processes", $"{s.Processes}", "--repeat", $"{s.Repeat}"], OverheadSuite.Run),
        new("cpu", "cpu.py", s => ["--items", $"{s.CpuItems}", "--rounds", $"{s.PythonCpuRounds}", "--processes", $"{s.Processes}"], CpuSuite.Run),
        new("realwork", "realwork.py", s => ["--trades", $"{s.RealWorkTrades}", "--steps", $"{s.PythonRealWorkSteps}", "--processes", $"{s.Processes}",
                "--repeat", $"{s.Repeat}"],
            RealWork.RealWorkSuite.Run),
        new("latency_bound", "latency_bound.py",
            s => ["--tasks", $"{s.LatencyTasks}", "--processes", string.Join(",", LatencyBoundSuite.Processes)], LatencyBoundSuite.Run),
        new("memory", "memory.py", s => ["--n", $"{s.MemoryItems}"], MemorySuite.Run),
        new("large_items", "large_items.py", s => ["--processes", $"{s.Processes}", "--repeat", $"{s.Repeat}"],
            LargeItemsSuite.Run),
        new("seed_demo", "seed_demo.py", s => ["--scale", $"{s.SeedScale}"], SeedDemoSuite.Run),
        new("resilience", "worker_death.py", _ => [], ResilienceSuite.Run),
        new("two_kill", null, _ => [], TwoKillSuite.Run),
        new("tls", null, _ => [], TlsSuite.Run),
        new("scale", null, _ => [], ScaleSuite.Run),
        new("soak", null, _ => [], SoakSuite.Run),
        new("crash", null, _ => [], CrashSuite.Run),
        new("ssh", null, _ => [], SshSuite.Run),
        new("share", "share.py", _ => ["--processes", "4"], ShareSuite.Run),
        new("stragglers", "stragglers.py", _ => [], StragglerSuite.Run),
        new("recycle", "recycle.py", s => ["--processes", $"{s.Processes}"], RecycleSuite.Run),
    ];

    /// <summary>
    /// The suites run when <c>--suite</c> is not given: all but seed_demo, which takes about a minute per side,
    /// latency_bound, which takes a few minutes per side, and resilience and two_kill, which kill worker processes on
    /// purpose.
    /// </summary>
    public const string DefaultNames = "startup,overhead,cpu,memory";

    /// <summary>The suite named <paramref name="name"/>, or null.</summary>
    public static BenchSuite? Named(string name) => All.FirstOrDefault(s => s.Name == name.Trim());
}
