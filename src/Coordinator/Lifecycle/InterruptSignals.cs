using System.Runtime.InteropServices;

namespace ClusterPool.Lifecycle;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for the whole process, caught once and passed to whoever listens (each running pool,
/// the command line): the first asks for a clean stop within the grace period, the second to skip the grace period,
/// the third exits at once. Akka runs its CoordinatedShutdown on SIGTERM but not on SIGINT, and its own hook would stop
/// the actor system under a caller still waiting, so both signals come here and the pool drives the shutdown.
/// From the first signal on, the process's exit code is 130, and an unhandled <see cref="PoolInterruptedException"/>
/// ends it with 130 rather than a crash report.
/// </summary>
internal static class InterruptSignals
{
    private static readonly Lock Gate = new();
    private static readonly List<Action<int>> Listeners = [];
    private static PosixSignalRegistration? _interrupt, _terminate;
    private static int _count;

    /// <summary>How many interrupt signals this process has had.</summary>
    public static int Count => Volatile.Read(ref _count);

    /// <summary>Calls <paramref name="onSignal"/> (on a pool thread) with the signal's number, 1 for the first; dispose to stop.</summary>
    public static IDisposable Listen(Action<int> onSignal)
    {
        lock (Gate)
        {
            Install();
            Listeners.Add(onSignal);
        }
        return new Subscription(onSignal);
    }

    private static void Install()
    {
        if (_interrupt is not null) return;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is PoolInterruptedException || e.ExceptionObject is AggregateException { InnerException: PoolInterruptedException })
                Environment.Exit(130);
        };
    }

    private static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // the pool stops the process, cleanly
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
        Action<int>[] listeners;
        lock (Gate) listeners = [.. Listeners];
        foreach (var listener in listeners) ThreadPool.QueueUserWorkItem(_ => listener(count));
    }

    private sealed class Subscription(Action<int> listener) : IDisposable
    {
        public void Dispose()
        {
            lock (Gate) Listeners.Remove(listener);
        }
    }
}
