using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ClusterPool.Workers;

/// <summary>
/// Whether this machine's cores are mostly idle: the share of CPU time used over the last samples, machine-wide
/// (Linux's <c>/proc/stat</c>, Windows' <c>GetSystemTimes</c>; elsewhere what the pool's own processes used against
/// what the cores could have done). Spares for the next pool start only then, so that they take no CPU from the user's
/// work: three spares take about two CPU-seconds to start, a quarter of a 3-second run of a pool of two busy workers.
/// The seed's tasks sleep, and its spares start at once. In a container, /proc/stat is the host's: a pool held to a CPU
/// quota on an idle host counts as idle. Plain class: the caller samples it on a timer.
/// </summary>
internal sealed class IdleCpuWatch
{
    // Mostly idle: under a share of the cores' time used (0.35 by default: one busy core of two is not idle), twice in
    // a row, so that a pause between two phases of the user's work does not count. Not thread-safe: the caller samples
    // under a lock.
    private const int SamplesInARow = 2;
    private readonly double _idleBelow;
    private int _idleSamples;
    private readonly Func<TimeSpan> _poolCpu;
    private readonly Func<(double Busy, double Total)> _sample;
    private (double Busy, double Total) _last;

    /// <param name="poolCpu">The CPU time the pool's processes have used so far: the measure where the machine's is not
    /// known.</param>
    /// <param name="idleBelow">The share of the cores' time used under which they count as idle
    /// (<c>clusterpool.local-workers.spares.idle-below</c>); 1: always.</param>
    /// <param name="sample">CPU time used and available so far (a test's); the machine's by default.</param>
    public IdleCpuWatch(Func<TimeSpan> poolCpu, double idleBelow, Func<(double Busy, double Total)>? sample = null)
    {
        _poolCpu = poolCpu;
        _idleBelow = idleBelow;
        _sample = sample ?? Sample;
        _last = _sample();
    }

    /// <summary>True when, over this sample and the one before (each since the previous call), less than the idle share
    /// of the cores' time was used.</summary>
    public bool IsIdle()
    {
        var now = _sample();
        var (busy, total) = (now.Busy - _last.Busy, now.Total - _last.Total);
        _last = now;
        _idleSamples = _idleBelow >= 1 || total > 0 && busy / total < _idleBelow ? _idleSamples + 1 : 0;
        return _idleSamples >= SamplesInARow;
    }

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>CPU time used and available so far, in seconds (or in the units of the machine's counters).</summary>
    private (double Busy, double Total) Sample()
    {
        if (OperatingSystem.IsLinux() && ReadProcStat() is { } linux) return linux;
        if (OperatingSystem.IsWindows() && GetSystemTimes(out var idle, out var kernel, out var user)) return (
            kernel + user - idle, kernel + user);
        return (_poolCpu().TotalSeconds, _clock.Elapsed.TotalSeconds * Environment.ProcessorCount);
    }

    /// <summary>The first line of /proc/stat: <c>cpu user nice system idle iowait irq softirq steal ...</c>, in clock
    /// ticks.</summary>
    internal static (double Busy, double Total)? ReadProcStat()
    {
        try
        {
            using var stat = new StreamReader("/proc/stat");
            var fields = stat.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is not { Length: > 5 } || fields[0] != "cpu") return null;
            var ticks = fields.Skip(1).Take(8).Select(double.Parse).ToArray();
            var idle = ticks[3] + ticks[4]; // idle and iowait
            var total = ticks.Sum();
            return (total - idle, total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return null; }
    }

    [DllImport("kernel32.dll", SetLastError = true)]
    private static extern bool GetSystemTimes(out long idle, out long kernel, out long user);
}
