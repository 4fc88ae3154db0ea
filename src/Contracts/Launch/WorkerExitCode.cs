namespace ClusterPool.Contracts.Launch;

/// <summary>
/// Why a worker host process ended, as its exit code: the host decides it, the pool and a standalone host's
/// supervisor (and the README) read it. A supervisor starts a fresh host after <see cref="Recycle"/> and, while the
/// coordinator may come back, after <see cref="LostContact"/>.
/// </summary>
internal static class WorkerExitCode
{
    /// <summary>Told to stop: the pool closed, or a signal asked it to.</summary>
    public const int Stopped = 0;

    /// <summary>
    /// The command line was wrong, or names an address this host cannot use (a <c>--join</c> host name that does not
    /// resolve, a <c>--host</c> that is not this machine's, a <c>--port</c> another process listens on) or a file that
    /// does not serve (an <c>--app</c> that is missing or no .NET assembly, a <c>--cert</c> that is no readable node
    /// certificate or whose <c>--password</c> is wrong, a <c>--config</c> that cannot be read); the line before says
    /// how.
    /// </summary>
    public const int BadArguments = 2;

    /// <summary>The coordinator is gone: its address refuses connections (its process died).</summary>
    public const int CoordinatorGone = 69;

    /// <summary>
    /// The process retired (MaxTasksPerChild, MaxMemoryPerChild) or was recycled to stop a stuck task: start a fresh
    /// one.
    /// </summary>
    public const int Recycle = 75;

    /// <summary>
    /// Cut off from the coordinator (a network partition; the split-brain resolver downed this side): a fresh host
    /// can rejoin when the network heals.
    /// </summary>
    public const int LostContact = 76;

    /// <summary>
    /// The pool refused this host, or this host the pool: TLS certificates that do not belong together (another
    /// cluster's, an expired one, none, or plain text against TLS), or a host that cannot run the pool's application
    /// (started without <c>--app</c>, or with another build); or no pool answers at the <c>--join</c> address (another
    /// program's port, a ClusterPool node that runs no pool, or a port that accepts connections where nothing answers
    /// for <c>clusterpool.worker.join-answer-timeout</c>). Starting again would not help; the line before says why.
    /// </summary>
    public const int Refused = 77;

    /// <summary>
    /// A host started with <c>--exit-with-stdin</c> saw its stdin reach end-of-file: whoever started it (a script, a
    /// scheduler's session) is gone, so it killed its child host at once and stopped. No one is left to start it again.
    /// </summary>
    public const int LifelineClosed = 78;

    /// <summary>
    /// Another pool answers at the coordinator's address (the pool was killed and started again at once, as a
    /// supervisor restarts it): this host's cluster was the old pool's, so its supervisor starts a fresh host that
    /// joins the new one. Only a supervisor reads it; it never ends a supervised host.
    /// </summary>
    public const int PoolRestarted = 79;
}
