using System.Runtime.InteropServices;

namespace ClusterPool.Lifecycle;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for the whole process, caught once and passed to whoever listens (each running pool,
/// the command line): each listener's first signal asks for a clean stop within the grace period, its second to skip
/// the grace period; a third signal exits at once. ClusterPool drives the shutdown itself (Akka's own CLR hook is off,
/// see hocon/shared.hocon), so both signals come here. From the first signal on, the process's exit code is 130, and an
/// unhandled <see cref="PoolInterruptedException"/> ends it with 130 rather than a crash report. With no listener (no
/// pool running), a signal keeps its default effect.
/// </summary>
internal static class InterruptSignals
{
    private static readonly Lock Gate = new();
    private static readonly List<Subscription> Listeners = [];
    private static PosixSignalRegistration? _interrupt, _terminate;
    private static int _count;

    /// <summary>How many interrupt signals this process has taken while someone listened.</summary>
    public static int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Calls <paramref name="onSignal"/> (on a pool thread) with how many signals came since it started listening, 1
    /// for the first; dispose to stop.
    /// </summary>
    public static IDisposable Listen(Action<int> onSignal)
    {
        var subscription = new Subscription(onSignal);
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
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is PoolInterruptedException
                || e.ExceptionObject is AggregateException { InnerException: PoolInterruptedException })
                Environment.Exit(130);
        };
    }

    private static void OnSignal(PosixSignalContext context)
    {
        Subscription[] listeners;
        lock (Gate) listeners = [.. Listeners];
        if (listeners.Length == 0) return; // nothing of ours runs: the signal does what it would do without us
        context.Cancel = true;             // a pool stops the process, cleanly
        var count = Interlocked.Increment(ref _count);
        Environment.ExitCode = 130;
        if (count >= 3)
        {
            Console.Error.WriteLine("clusterpool: third interrupt: exiting now");
            Environment.Exit(130);
        }
        Console.Error.WriteLine(count == 1
            ? "clusterpool: interrupted: finishing running tasks within the grace period (Ctrl+C again to stop at once)"
            : "clusterpool: interrupted again: stopping now");
        foreach (var listener in listeners) listener.Signal();
    }

    private sealed class Subscription(Action<int> listener) : IDisposable
    {
        private int _signals;

        public void Signal()
        {
            var count = Interlocked.Increment(ref _signals);
            ThreadPool.QueueUserWorkItem(_ => listener(count));
        }

        public void Dispose()
        {
            lock (Gate) Listeners.Remove(this);
        }
    }
}
