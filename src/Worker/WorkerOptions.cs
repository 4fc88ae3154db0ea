using ClusterPool.Contracts.Launch;

namespace ClusterPool.Worker;

/// <summary>What a worker host is started with: the command line's options.</summary>
/// <param name="Join">The coordinator's <c>HOST:PORT</c>.</param>
/// <param name="Slots">How many tasks this process runs at once.</param>
/// <param name="App">The user's application assembly (the functions), or null when the coordinator is on this
/// machine.</param>
/// <param name="Host">The address to bind and advertise, or null to pick the one that reaches the coordinator.</param>
/// <param name="Port">The port to bind; 0 for any.</param>
/// <param name="ParentPid">Embedded mode: the pool process that started this one; exit when it is gone.</param>
/// <param name="ConfigFile">A HOCON file laid over the defaults, or null.</param>
internal sealed record WorkerOptions(string Join, int Slots, string? App, string? Host, int Port, int? ParentPid,
    string? ConfigFile)
{
    /// <summary>
    /// Started by a pool on this machine (its parent): a plain remoting node, not a cluster member. The pool sees this
    /// process exit and this process sees the pool go, so neither needs the cluster's gossip and failure detector.
    /// </summary>
    public bool Embedded { get; init; }

    /// <summary>The node certificate file (node.pfx from <c>clusterpool cert new</c>): every connection is mutually
    /// authenticated TLS.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>
    /// The node certificate is in the <see cref="WorkerCommandLine.CertificateVariable"/> environment variable, not in
    /// <see cref="CertificateFile"/>: a host its pool started over SSH keeps nothing secret on its machine's disk.
    /// </summary>
    public bool CertificateFromEnvironment { get; init; }

    /// <summary>
    /// A host started by hand (a supervisor) stops when its stdin reaches end-of-file, killing its child host at once:
    /// whoever started it (a script, a scheduler's session) holds the other end, and its end is the only sign it is
    /// gone.
    /// </summary>
    public bool ExitWithStdin { get; init; }

    /// <summary>The certificate file's password, if it has one.</summary>
    public string? CertificatePassword { get; init; }

    /// <summary>Say on stderr when the pool welcomes this host (a host started by hand says it once, and again after a
    /// rejoin).</summary>
    public bool AnnounceJoin { get; init; }

    /// <summary>
    /// Started ahead of its program's next pool (embedded, loopback): starts its actor system, then waits for the
    /// pool's address on stdin (<see cref="WorkerCommandLine.JoinLine"/>); <see cref="Join"/> is empty. It runs nothing
    /// of the app's before it joins, so the pool that adopts it gets a clean process.
    /// </summary>
    public bool Spare { get; init; }

    /// <summary>A spare: a running pool (<c>HOST:PORT</c>) it may talk to while it waits, so that joining the next one
    /// is quick.</summary>
    public string? WarmWith { get; init; }

    /// <summary>A spare: the application assembly the pools of its program run functions of, loaded while it waits
    /// (<see cref="AppAssemblyLoader.Load"/>: its file and its dependency list, not its code).</summary>
    public string? WarmApp { get; init; }
}
