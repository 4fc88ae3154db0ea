namespace ClusterPool.Worker;

/// <summary>
/// Why a worker host process ended, as its exit code. A standalone host's supervisor (and the README) read them:
/// it starts a fresh host after <see cref="Recycle"/> and, while the coordinator may come back, after <see cref="LostContact"/>.
/// </summary>
public static class WorkerExit
{
    /// <summary>Told to stop: the pool closed, or a signal asked it to.</summary>
    public const int Stopped = 0;

    /// <summary>The coordinator is gone: its address refuses connections (its process died).</summary>
    public const int CoordinatorGone = 69;

    /// <summary>The process retired (MaxTasksPerChild, MaxMemoryPerChild) or was recycled to stop a stuck task: start a fresh one.</summary>
    public const int Recycle = 75;

    /// <summary>
    /// Cut off from the coordinator (a network partition; the split-brain resolver downed this side): a fresh host
    /// can rejoin when the network heals.
    /// </summary>
    public const int LostContact = 76;

    /// <summary>
    /// The pool refused this host, or this host the pool: TLS certificates that do not belong together (another cluster's,
    /// an expired one, none, or plain text against TLS). Starting again would not help; the line before says why.
    /// </summary>
    public const int Refused = 77;

    private static int _code = LostContact;

    /// <summary>The code this process will exit with: <see cref="LostContact"/> unless something decided otherwise first.</summary>
    public static int Code => Volatile.Read(ref _code);

    /// <summary>Records why the process is ending; the first reason wins.</summary>
    internal static void Decide(int code) => Interlocked.CompareExchange(ref _code, code, LostContact);
}
