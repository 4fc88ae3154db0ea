using System.Runtime.InteropServices;

namespace ClusterPool.Lifecycle;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for the whole process, caught once and passed to whoever listens (each running pool,
/// the command line): each listener's first signal asks for a clean stop within the grace period, its second to skip
/// the grace period; a third signal exits at once. ClusterPool drives the shutdown itself (Akka's own CLR hook is off,
/// see hocon/shared.hocon), so both signals come here. From the first signal on, the process's exit code is
/// <see cref="ExitCode"/> (130 after SIGINT, 143 after SIGTERM, as the shell reports a process the signal ended), and
/// an unhandled <see cref="PoolInterruptedException"/> ends it with that code rather than a crash report. With no
/// listener (no pool running), a signal keeps its default effect; so does a first signal while no listener has a call
/// running (the program between calls: writing a report, or its own serial work): no call would tell the program,
/// so, as Python's <c>KeyboardInterrupt</c> ends it wherever it is, the process ends (130, or 143 after SIGTERM), once
/// the pools have stopped their workers.
/// A program that ends (its <c>Main</c> returns with 130 or 143) while a pool still stops after a signal waits for that
/// stop at its exit: a worker host on another machine is told to stop only by it, and saw its pool vanish (exit 69)
/// when the process ended first.
/// </summary>
internal static class InterruptSignals
{
    private static readonly Lock Gate = new();
    private static readonly List<Subscription> Listeners = [];
    private static PosixSignalRegistration? _interrupt, _terminate;
    private static int _count;

    /// <summary>The threads stopping a pool after a signal: the process's exit waits for them.</summary>
    private static readonly List<Thread> Stopping = [];

    /// <summary>How long the process's exit waits for its pools to stop (a pool's own stop is bounded well
    /// within).</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);

    private static volatile bool _exiting, _exitNow;

    /// <summary>How many interrupt signals this process has taken while someone listened.</summary>
    public static int Count => Volatile.Read(ref _count);

    private static int _exitCode = SigIntExitCode;

    /// <summary>The exit code of an interrupted process: 128 + the first signal's number, 130 for SIGINT (Ctrl+C),
    /// 143 for SIGTERM; 130 before any signal.</summary>
    public static int ExitCode => Volatile.Read(ref _exitCode);

    private const int SigIntExitCode = 130, SigTermExitCode = 143;

    /// <summary>
    /// Calls <paramref name="onSignal"/> (on a pool thread) with how many signals came since it started listening, 1
    /// for the first; dispose to stop. A listener with <paramref name="idle"/> (a pool) says whether it has no call
    /// running, and how to stop at once when the signal ends the process; without, it always takes the signal over.
    /// </summary>
    public static IDisposable Listen(Action<int> onSignal, (Func<bool> IsIdle, Action StopNow)? idle = null)
    {
        var subscription = new Subscription(onSignal, idle);
        lock (Gate)
        {
            Install();
            Listeners.Add(subscription);
        }
        return subscription;
    }

    private static void Install()
    {
        if (_interrupt is not null) return;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => WaitForStops();
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is PoolInterruptedException
                || e.ExceptionObject is AggregateException { InnerException: PoolInterruptedException })
                Environment.Exit(ExitCode);
        };
    }

    private static void OnSignal(PosixSignalContext context)
    {
        Subscription[] listeners;
        lock (Gate) listeners = [.. Listeners];
        if (listeners.Length == 0) return; // nothing of ours runs: the signal does what it would do without us
        if (Count == 0 && listeners.All(l => l.IsIdle))
        {
            // No call would end with PoolInterruptedException: the signal ends the process, as without a pool, once
            // every pool has stopped its workers (and written its checkpoint) on this thread.
            Console.Error.WriteLine("clusterpool: interrupted between calls: stopping the workers and exiting");
            foreach (var listener in listeners) listener.StopNow();
            return;
        }
        context.Cancel = true;             // a pool stops the process, cleanly
        var count = Interlocked.Increment(ref _count);
        if (count == 1)
            Volatile.Write(ref _exitCode, context.Signal == PosixSignal.SIGTERM ? SigTermExitCode : SigIntExitCode);
        Environment.ExitCode = ExitCode;
        if (count >= 3)
        {
            Console.Error.WriteLine("clusterpool: third interrupt: exiting now");
            _exitNow = true;
            if (!_exiting) Environment.Exit(ExitCode); // already exiting: the exit stops waiting for the pools
            return;
        }
        Console.Error.WriteLine(count == 1
            ? "clusterpool: interrupted: finishing running tasks within the grace period (Ctrl+C again to stop at once)"
            : "clusterpool: interrupted again: stopping now");
        foreach (var listener in listeners) listener.Signal();
    }

    /// <summary>
    /// At the process's exit, waits (bounded) for the pools still stopping after a signal: the caller's call failed
    /// with <see cref="PoolInterruptedException"/> as the stop began, and a program that then returns from
    /// <c>Main</c> would otherwise end before its worker hosts were told to stop.
    /// </summary>
    private static void WaitForStops()
    {
        _exiting = true;
        Thread[] stopping;
        lock (Gate) stopping = [.. Stopping];
        var waited = System.Diagnostics.Stopwatch.StartNew();
        foreach (var thread in stopping)
        {
            if (thread == Thread.CurrentThread) continue;
            while (!_exitNow && waited.Elapsed < StopWait && !thread.Join(TimeSpan.FromMilliseconds(50))) { }
        }
    }

    private sealed class Subscription(Action<int> listener, (Func<bool> IsIdle, Action StopNow)? idle) : IDisposable
    {
        private int _signals;

        /// <summary>True for a listener with no call running, which leaves the signal its default effect.</summary>
        public bool IsIdle => idle is { } known && known.IsIdle();

        /// <summary>Stops the listener before the process ends.</summary>
        public void StopNow()
        {
            try { idle?.StopNow(); }
            catch (Exception) { /* the process ends regardless: its exit hooks stop what is left */ }
        }

        public void Signal()
        {
            var count = Interlocked.Increment(ref _signals);
            // On a thread of its own: the pool's stop waits there for its coordinator, whose actor runs on the thread
            // pool; a thread-pool thread held by that wait hung the stop in a program with no other free.
            Thread? thread = null;
            thread = new Thread(() =>
            {
                try { listener(count); }
                finally { lock (Gate) Stopping.Remove(thread!); }
            }) { IsBackground = true, Name = "clusterpool-interrupt" };
            lock (Gate) Stopping.Add(thread);
            thread.Start();
        }

        public void Dispose()
        {
            lock (Gate) Listeners.Remove(this);
        }
    }
}
