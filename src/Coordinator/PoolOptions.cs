namespace ClusterPool;

/// <summary>
/// How to start a <see cref="Pool"/>: Python's <c>Pool(processes, initializer, initargs, maxtasksperchild)</c> plus
/// the cluster settings. Leave everything unset for the embedded default: worker processes on this machine.
/// The properties are settable (for an object initializer, and for <c>services.AddClusterPool(options => ...)</c> and
/// configuration binding in a hosted app); a pool reads them once, when it starts, so later changes do not reach it.
/// </summary>
public sealed class PoolOptions
{
    /// <summary>
    /// The number of worker processes to start on this machine (Python's <c>processes</c>); default: the number of
    /// cores. In cluster mode (<see cref="ListenAddress"/> set) it is the pool size used for Map's default chunksize,
    /// and no local process starts unless <see cref="LocalWorkers"/> asks for them.
    /// </summary>
    public int? Processes { get; set; }

    /// <summary>Tasks each worker process runs at once (its slots). Default 1, like Python.</summary>
    public int SlotsPerProcess { get; set; } = 1;

    /// <summary>
    /// A static method (or capture-free lambda) run once in each worker process as it starts, before any task (Python's
    /// <c>initializer</c>). If it throws, every task of that process fails with its exception.
    /// </summary>
    public Delegate? Initializer { get; set; }

    /// <summary>The initializer's arguments (Python's <c>initargs</c>).</summary>
    public object?[] InitArgs { get; set; } = [];

    /// <summary>
    /// Tasks a worker process runs before it is replaced by a fresh one (Python's <c>maxtasksperchild</c>); 0 or
    /// null for no limit. As in Python, a chunk of <c>Map</c> counts as one task.
    /// </summary>
    public int? MaxTasksPerChild { get; set; }

    /// <summary>
    /// Bytes of memory (working set) above which a worker process is replaced by a fresh one, checked after each task:
    /// it finishes what it runs, hands back what it holds, and exits. Null for no limit. Guards long runs against a
    /// library that leaks.
    /// </summary>
    public long? MaxMemoryPerChild { get; set; }

    /// <summary>
    /// How long one item may run; null (the default) for no limit. See <see cref="CallOptions.TaskTimeout"/>, which
    /// overrides it for the calls made through <see cref="Pool.With"/>.
    /// </summary>
    public TimeSpan? TaskTimeout { get; set; }

    /// <summary>
    /// How many times an item is run again after the worker running it was lost (its process died, or its host became
    /// unreachable) before it fails with a <see cref="WorkerLostException"/>. Default: <c>clusterpool.max-retries</c>
    /// (3).
    /// </summary>
    public int? MaxRetries { get; set; }

    /// <summary>
    /// On Ctrl+C or SIGTERM, how long running tasks get to finish (their <see cref="CancellationToken"/>s are cancelled
    /// at once) before the calls fail with <see cref="PoolInterruptedException"/> and the workers stop. A second Ctrl+C
    /// skips it. Default: <c>clusterpool.shutdown-grace</c> (5 s).
    /// </summary>
    public TimeSpan? ShutdownGrace { get; set; }

    /// <summary>
    /// True (the default): the pool catches Ctrl+C (SIGINT) and SIGTERM and stops cleanly, as described at
    /// <see cref="ShutdownGrace"/>; the process then exits with code 130. False leaves the signals to the program.
    /// A pool added with <c>services.AddClusterPool</c> defaults to false: the host handles the signals and stops the
    /// pool as it stops (see <c>AddClusterPool</c>).
    /// </summary>
    public bool HandleInterrupts { get; set; } = true;

    /// <summary>
    /// True: when nothing is queued and slots are idle, a chunk that runs much longer than its call's typical chunk
    /// (a slow machine, a noisy neighbour) gets a backup copy on an idle slot, on another machine where there is one,
    /// from its first item without a result; the first copy to finish wins, the other is told to stop, and the caller
    /// (and the checkpoint) sees each result once. Off by default: a task with side effects (a file it appends to) may
    /// then run twice in a normal run, where otherwise it runs twice only after a lost worker. See
    /// <see cref="CallOptions.Speculative"/> for one call, <c>clusterpool.speculation</c> for when a chunk straggles,
    /// and <see cref="PoolStatistics.BackupCopiesStarted"/>.
    /// </summary>
    public bool Speculation { get; set; }

    /// <summary>
    /// A SQLite file (created if missing) where each finished item's result is stored as it arrives, keyed by the
    /// call's name, the item's index and a hash of its arguments. Running the same program again returns the stored
    /// results at once and sends only the missing items to workers; an item whose arguments changed runs again. Works
    /// with <c>Map</c>, <c>StarMap</c>, <c>IMap</c>, <c>IMapUnordered</c> and their async forms. Null (the default): no
    /// checkpoint.
    /// </summary>
    public string? Checkpoint { get; set; }

    /// <summary>
    /// Cluster mode: the <c>HOST:PORT</c> this coordinator listens on for worker hosts (for example
    /// <c>10.0.0.5:4053</c>). Null (the default): embedded mode on a free loopback port. The pool listens there
    /// alone: an address another process listens on already (another pool) fails <see cref="Pool.Start"/> with an
    /// <see cref="IOException"/> naming it.
    /// </summary>
    public string? ListenAddress { get; set; }

    /// <summary>Cluster mode: seed nodes (<c>HOST:PORT</c>) to join instead of starting a new cluster at this
    /// coordinator.</summary>
    public IReadOnlyList<string>? SeedNodes { get; set; }

    /// <summary>
    /// Machines the pool starts its own worker hosts on, over SSH: <c>[user@]host[:port] [slots=N]</c> each (slots
    /// default to the host's cores). <see cref="Pool.Start"/> connects to each with the system's OpenSSH client (keys
    /// from <c>~/.ssh</c> and the agent, host keys checked against <c>known_hosts</c>), ships the app's build output
    /// (and a .NET runtime where none is installed) into a cache on the host, and starts a worker host there that
    /// stops when the pool does. <see cref="Processes"/> keeps its meaning: the workers on this machine. See
    /// <see cref="Ssh"/> and <see cref="RequireAllHosts"/>.
    /// </summary>
    public IReadOnlyList<string>? Hosts { get; set; }

    /// <summary>A file of <see cref="Hosts"/> entries, one per line (<c>#</c> starts a comment).</summary>
    public string? HostsFile { get; set; }

    /// <summary>
    /// True: <see cref="Pool.Start"/> fails when any of <see cref="Hosts"/> cannot start (the error names each and
    /// why). False (the default): the pool runs on the hosts that work and logs why the others did not; it fails only
    /// when no slot is left at all.
    /// </summary>
    public bool? RequireAllHosts { get; set; }

    /// <summary>How the pool connects to <see cref="Hosts"/> (identity, known hosts, accepting new host
    /// keys).</summary>
    public SshOptions Ssh { get; set; } = new();

    /// <summary>Worker processes to start on this machine; default <see cref="Processes"/> in embedded mode, 0 in
    /// cluster mode.</summary>
    public int? LocalWorkers { get; set; }

    /// <summary>HOCON laid over the defaults in <c>hocon/</c> (coordinator and local workers), e.g.
    /// <c>clusterpool.max-retries = 5</c>.</summary>
    public string? Config { get; set; }

    /// <summary>
    /// Where the pool's log lines go (its own and Akka's, category <c>ClusterPool</c>). Null (the default): warnings
    /// and errors, one line each, on stderr. Nothing of ClusterPool is ever written to stdout.
    /// </summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// True (the default): what a task writes to <see cref="Console.Out"/> and <see cref="Console.Error"/> in its
    /// worker process comes to this process line by line, tagged with the worker's host and pid
    /// (<c>[vm:4711] text</c>), in embedded and in cluster mode; written to this process's stdout and stderr, or handed
    /// to <see cref="OnTaskOutput"/>. False: tasks' console output is dropped.
    /// </summary>
    public bool ForwardTaskOutput { get; set; } = true;

    /// <summary>
    /// A live dashboard in the browser at this <c>HOST:PORT</c> (for example <c>127.0.0.1:8265</c>; port 0 for any free
    /// port, then see <see cref="Pool.DashboardAddress"/>): the hosts and their busy and idle slots, each call's
    /// progress, throughput over time, failures, re-runs and lost workers, refreshed every second. HOST is an IP
    /// address, <c>localhost</c> or <c>*</c> (every interface: anyone who reaches the port sees the pool, so keep it to
    /// trusted networks). It stops with the pool. Null (the default): no dashboard.
    /// </summary>
    public string? Dashboard { get; set; }

    /// <summary>Receives each line of the tasks' console output instead of this process's console (see
    /// <see cref="ForwardTaskOutput"/>).</summary>
    public Action<TaskOutputLine>? OnTaskOutput { get; set; }

    /// <summary>
    /// The cluster's node certificate (<c>node.pfx</c> from <c>clusterpool cert new --out DIR</c>): every connection of
    /// the pool, to its worker hosts and its local workers, is then mutually authenticated TLS, and only nodes holding
    /// a certificate of the same cluster authority can join. Required to listen on an address other than loopback (see
    /// <see cref="InsecurePlaintextOnTrustedNetwork"/>). Default: <c>clusterpool.tls.certificate</c>, else none.
    /// </summary>
    public string? Certificate { get; set; }

    /// <summary>The certificate file's password, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// True lets a pool listen on an address other than loopback without TLS: anyone who reaches its port can join and
    /// be handed your work. Only for an isolated network you trust. Default false.
    /// </summary>
    public bool InsecurePlaintextOnTrustedNetwork { get; set; }
}
