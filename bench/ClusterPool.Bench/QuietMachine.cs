using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// Waits for the machine's cores to go quiet before a clock starts, so that a steady-state figure measures the work and
/// not what a pool does once at its start: a pool that idles for half a second after its workers are up starts spare
/// workers for the program's next pool (README, "Configuration"), each about 0.7 CPU-seconds of booting. On 2 cores
/// the first timed cell of each pool ran at 0.32-0.76 of the ideal beside them, and at 0.86-0.95 once they were up.
/// </summary>
internal static class QuietMachine
{
    // Quiet: under 10 % of the cores' time used, over two half-second windows in a row.
    private const double QuietBelow = 0.10;
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long to wait at least: the JIT's background compilation of a warm-up finishes, and a pool idle half a second
    /// launches its spares.
    /// </summary>
    private static readonly TimeSpan AtLeast = TimeSpan.FromSeconds(1.5);

    /// <summary>Waits <see cref="AtLeast"/>, then until the machine is quiet, at most 30 s in all; returns how long it
    /// waited.</summary>
    public static TimeSpan Wait()
    {
        var clock = Stopwatch.StartNew();
        Thread.Sleep(AtLeast);
        var quietWindows = 0;
        var last = Sample();
        while (quietWindows < 2 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(Window);
            var now = Sample();
            var (busy, total) = (now.Busy - last.Busy, now.Total - last.Total);
            last = now;
            quietWindows = total > 0 && busy / total < QuietBelow ? quietWindows + 1 : 0;
        }
        return clock.Elapsed;
    }

    /// <summary>The machine's busy and total clock ticks so far (as the pool reads them to start spares); zeros where
    /// they cannot be read.</summary>
    private static (double Busy, double Total) Sample() => Workers.IdleCpuWatch.ReadProcStat() ?? (0, 0);
}
