using ClusterPool.Calls;
using ClusterPool.Contracts.Launch;

namespace ClusterPool.Dispatch;

/// <summary>The messages <see cref="PoolCoordinator"/> takes from the pool, the feeders, the spawner and
/// itself.</summary>
internal sealed partial class PoolCoordinator
{
    /// <summary>Pool → coordinator: answer with the pool's <see cref="PoolStatistics"/> now.</summary>
    public sealed record GetStatistics
    {
        public static readonly GetStatistics Instance = new();
    }

    /// <summary>Pool → coordinator: a new call, its feeder already reading.</summary>
    public sealed record SubmitCall(Call Call);

    /// <summary>Feeder → coordinator: a call's input has chunks ready (or ended).</summary>
    public sealed record InputReady(long CallId);

    /// <summary>Pool → coordinator: end a call now (cancelled by the caller).</summary>
    public sealed record CancelCall(long CallId, Exception Reason);

    /// <summary>Spawner → coordinator: a local worker process exited; its chunks run elsewhere once what it sent before
    /// has been read.</summary>
    /// <param name="Pid">The process.</param>
    /// <param name="ExitCode">Its exit code: <see cref="WorkerExitCode.Recycle"/> for a worker that retired or was
    /// recycled.</param>
    /// <param name="LastErrorLines">The last lines it wrote on stderr (they name the cause when it could not
    /// start).</param>
    /// <param name="StoppedByPool">The pool stopped it (it is stopping): its exit is no news.</param>
    public sealed record WorkerProcessExited(int Pid, int ExitCode, IReadOnlyList<string> LastErrorLines,
        bool StoppedByPool = false);

    /// <summary>Pool → coordinator: fail every call with <paramref name="Reason"/> and tell every worker host to
    /// stop.</summary>
    public sealed record StopAll(Exception Reason);

    /// <summary>
    /// Pool → coordinator: the run was interrupted (Ctrl+C, SIGTERM). Hand out nothing more, cancel every running
    /// task's token, keep the results that arrive within <paramref name="Grace"/>, then fail every call with
    /// <paramref name="Reason"/>(items it finished) and tell every worker host to stop. Replies <see cref="Done"/>.
    /// <paramref name="BeforeFailing"/> runs first (it writes the checkpoint: the callers' finally blocks may end the
    /// process).
    /// </summary>
    public sealed record Interrupt(TimeSpan Grace, Func<long, Exception> Reason, Action? BeforeFailing = null);

    /// <summary>Pool → coordinator: interrupted again: stop waiting for running tasks now.</summary>
    public sealed record Hurry
    {
        public static readonly Hurry Instance = new();
    }

    /// <summary>Self → self, every <see cref="SpeculationSettings.CheckEvery"/> while a call asks for backup copies:
    /// look for straggling chunks (see <see cref="Speculate"/>).</summary>
    private sealed record LookForStragglers
    {
        public static readonly LookForStragglers Instance = new();
    }

    /// <summary>Self → self: exited worker process <paramref name="Pid"/> has waited long enough for its
    /// connection to close (see <see cref="ExitsInFlight"/>).</summary>
    private sealed record ExitDeadline(int Pid);

    /// <summary>Self → self: hand out work now (see <see cref="DispatchSoon"/>).</summary>
    private sealed record DispatchNow
    {
        public static readonly DispatchNow Instance = new();
    }
}
