namespace ClusterPool.Bench;

/// <summary>What <c>clusterpool bench</c> was asked to run; the defaults match the Python scripts' defaults.</summary>
public sealed record BenchSettings
{
    /// <summary>The suites to run, in this order.</summary>
    public required IReadOnlyList<BenchSuite> Suites { get; init; }

    /// <summary>Worker processes for the startup, overhead and cpu suites (the scripts' <c>--processes</c>).</summary>
    public int Processes { get; init; } = Environment.ProcessorCount;

    /// <summary>The pool sizes the startup_scale suite starts, one after another (startup_scale.py <c>--processes</c>).</summary>
    public IReadOnlyList<int> ScaleProcesses { get; init; } = [2, 8, 16, 64];

    /// <summary>How long the idle suite watches an idle pool, in seconds (idle.py <c>--seconds</c>).</summary>
    public double IdleSeconds { get; init; } = 30;

    /// <summary>Tiny tasks per overhead case (overhead.py <c>--n</c>).</summary>
    public int OverheadTasks { get; init; } = 100_000;

    /// <summary>How long the soak suite runs, in minutes.</summary>
    public double SoakMinutes { get; init; } = 60;

    /// <summary>Tiny items of each of the soak suite's IMap passes.</summary>
    public int SoakImapItems { get; init; } = 10_000_000;

    /// <summary>The scale suite's machines (network namespaces), one worker host each.</summary>
    public int ScaleHosts { get; init; } = 8;

    /// <summary>Slots of each of the scale suite's worker hosts (8 × 128 = 1,024 by default).</summary>
    public int ScaleSlotsPerHost { get; init; } = 128;

    /// <summary>
    /// How many times the overhead and sweep suites run each throughput case, on both sides; the best run counts
    /// (overhead.py and sweep.py <c>--repeat</c>).
    /// </summary>
    public int Repeat { get; init; } = 3;

    /// <summary>Tasks per call of the sweep suite (sweep.py <c>--sizes</c>).</summary>
    public IReadOnlyList<int> SweepSizes { get; init; } = [1_000, 10_000, 100_000, 1_000_000];

    /// <summary>Rounds of the two_kill suite (the issue asks for 20 in a row).</summary>
    public int TwoKillRounds { get; init; } = 20;

    /// <summary>Where to write the PNG plots (<c>throughput.png</c>, <c>startup.png</c>); null for none.</summary>
    public string? PlotsDirectory { get; init; }

    /// <summary>Items of the cpu suite (cpu.py <c>--items</c>).</summary>
    public int CpuItems { get; init; } = 64;

    /// <summary>Rounds of <see cref="Workloads.Spin"/> per item on the C# side: about as long in serial as Python's.</summary>
    public int CpuRounds { get; init; } = 20_000_000;

    /// <summary>Rounds per item for cpu.py (<c>--rounds</c>).</summary>
    public int PythonCpuRounds { get; init; } = 200_000;

    /// <summary>Items of the lazy input of the memory suite (memory.py <c>--n</c>).</summary>
    public int MemoryItems { get; init; } = 2_000_000;

    /// <summary>Trades of the realwork suite's book (realwork.py <c>--trades</c>).</summary>
    public int RealWorkTrades { get; init; } = 1_500;

    /// <summary>
    /// Tree steps per trade for realwork.py (<c>--steps</c>): fewer than the C# side's <see cref="RealWork.RealWorkTasks.Steps"/>,
    /// so that a trade takes milliseconds in Python too.
    /// </summary>
    public int PythonRealWorkSteps { get; init; } = 85;

    /// <summary>
    /// Busy-wait tasks per cell of the latency_bound suite (latency_bound.py <c>--tasks</c>): 1,500 make about 95 s of
    /// work per pool size on each side.
    /// </summary>
    public int LatencyTasks { get; init; } = 1_500;

    /// <summary>Multiplier of the seed demo's 3, 2, 1 s sleeps (seed_demo.py <c>--scale</c>).</summary>
    public double SeedScale { get; init; } = 1.0;

    /// <summary>The folder of the Python scripts; null to run ClusterPool's side only.</summary>
    public string? BaselinesDirectory { get; init; }

    /// <summary>The Python interpreter; null to run ClusterPool's side only.</summary>
    public string? Python { get; init; }

    /// <summary>One JSON object per figure on stdout instead of the table.</summary>
    public bool Json { get; init; }
}
