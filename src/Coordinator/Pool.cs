using System.Diagnostics;
using ClusterPool.Dashboard;
using ClusterPool.Diagnostics;
using ClusterPool.Calls;
using ClusterPool.Lifecycle;

namespace ClusterPool;

/// <summary>
/// A pool of worker processes with the shape of Python's <c>multiprocessing.Pool</c>: <c>Apply</c>, <c>ApplyAsync</c>,
/// <c>Map</c>, <c>MapAsync</c>, <c>IMap</c>, <c>IMapUnordered</c>, <c>StarMap</c>, <c>StarMapAsync</c>, and
/// <c>Close</c>/<c>Terminate</c>/<c>Join</c>. The workers are Akka.NET actors in other processes, on this machine
/// (embedded mode, the default) or on others (cluster mode). Functions travel by reference: pass a static method or a
/// lambda that captures nothing. Disposing the pool terminates it, like leaving Python's <c>with Pool() as pool:</c>.
/// </summary>
public sealed partial class Pool : PoolMethods, IDisposable, IAsyncDisposable
{
    private readonly StartedPool _parts;
    private readonly PoolState _state;
    private readonly PoolStatisticsReader _statistics;
    private readonly IDisposable? _signals;
    private readonly DashboardServer? _dashboard;
    private readonly CancellationTokenSource _ownsSystem = new();

    private Pool(StartedPool parts, PoolStatisticsReader statistics, DashboardServer? dashboard, int processes,
        bool handleInterrupts) : base(parts.Submitter, parts.Defaults)
    {
        (_parts, _state, _statistics, _dashboard) = (parts, parts.State, statistics, dashboard);
        (Processes, Address) = (processes, parts.Address);
        // However the coordinator's actor system ends (Terminate, an interrupt, being downed),
        // the pool is over: no new calls, and no worker process outlives it. Watched while the pool owns the system:
        // one kept for the next pool (KeptActorSystems) is no longer this pool's, and must not keep it alive.
        parts.System.WhenTerminated.WaitAsync(_ownsSystem.Token).ContinueWith(
            ended => ended.IsCompletedSuccessfully ? OnSystemTerminatedAsync() : Task.CompletedTask,
            TaskScheduler.Default);
        if (handleInterrupts)
            _signals = InterruptSignals.Listen(OnInterrupt, (() => !_parts.Submitter.HasCallsRunning
                && Volatile.Read(ref _waitingUntilReady) == 0, Terminate));
        PoolMetrics.Watch(this);
    }

    /// <summary>
    /// Starts a pool (Python's <c>Pool(...)</c>). Returns once the coordinator listens (a quarter of a second in a
    /// fresh process, where its actor system starts; milliseconds for a program's next pool made alike, which talks on
    /// the last one's) and the worker processes are starting; calls made before the workers are up wait in the queue.
    /// See <see cref="WaitUntilReady"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count in <paramref name="options"/> is zero or
    /// negative.</exception>
    /// <exception cref="PoolConfigurationException">A configuration setting is malformed; the message names
    /// it.</exception>
    /// <exception cref="ArgumentException"><see cref="PoolOptions.Dashboard"/> is not <c>HOST:PORT</c>.</exception>
    /// <exception cref="IOException">The pool cannot listen at <see cref="PoolOptions.ListenAddress"/>, or the
    /// dashboard at <see cref="PoolOptions.Dashboard"/>: another process listens there (another pool), or it is not an
    /// address of this machine; the message names the address and the option.</exception>
    public static Pool Start(PoolOptions? options = null) =>
        // The same start as StartAsync's, waited for here: it runs on a thread of its own, so a caller on a UI or test
        // framework's thread cannot deadlock it.
        StartAsync(options).GetAwaiter().GetResult();

    /// <summary>
    /// Starts a pool without blocking the calling thread; see <see cref="Start"/>. The whole start runs on a thread of
    /// its own, not on the thread pool: it blocks while Akka's actors, which run on the thread pool, get going, and in
    /// a program whose thread pool was busy each step that needed a pool thread waited for .NET to add one (0.5-1 s).
    /// <paramref name="cancellationToken"/> stops the start at its next step (and the hosts of
    /// <see cref="PoolOptions.Hosts"/> while they start, and its waits: for another process's lock on the
    /// <see cref="PoolOptions.Checkpoint"/>, for a stopping pool of this program to let go of the
    /// <see cref="PoolOptions.ListenAddress"/>): what had started is stopped, and the task ends with
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    public static Task<Pool> StartAsync(PoolOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(() => StartHere(options, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Starts a pool on the calling thread, which waits for each part; see <see cref="StartAsync"/>.</summary>
    private static Pool StartHere(PoolOptions? options, CancellationToken cancellationToken)
    {
        var (start, dashboard) = PoolOptionsCheck.Check(options);
        // Checked between the steps of the start too: a cancel stops what had started and throws here, promptly.
        var parts = PoolStarter.Start(start, cancellationToken);
        var statistics = new PoolStatisticsReader(parts);
        DashboardServer? server = null;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (dashboard is not null)
                server = DashboardServer.StartAsync(dashboard, Source(parts, statistics), parts.Settings.Dashboard,
                    parts.Logging, cancellationToken).GetAwaiter().GetResult();
            return new Pool(parts, statistics, server, start.Processes, start.Options.HandleInterrupts);
        }
        catch
        {
            server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            parts.AbandonAsync().GetAwaiter().GetResult();
            throw;
        }
    }

    private static DashboardSource Source(StartedPool parts, PoolStatisticsReader statistics) =>
        new(parts.Address, statistics.ReadAsync, parts.Submitter.Recent);

    /// <summary>The pool size: <see cref="PoolOptions.Processes"/>. Map's default chunksize is computed from
    /// it.</summary>
    public int Processes { get; }

    /// <summary>Worker slots registered right now (local and remote), less those of a host that is
    /// unreachable.</summary>
    public int Slots => _parts.Status.Slots;

    /// <summary>
    /// The pool now: its slots (busy and idle), queued items, running calls, each host's share, the items done, failed
    /// and run again, and the workers and hosts it lost and got over. Asked of the coordinator (well under a
    /// millisecond on an idle pool); after the pool has stopped, its last counters.
    /// </summary>
    public PoolStatistics Statistics => _statistics.ReadAsync().GetAwaiter().GetResult();

    /// <summary>
    /// <see cref="Statistics"/> without holding a thread while the coordinator answers: for async code (a web request,
    /// a UI) that shows the pool.
    /// </summary>
    public Task<PoolStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) =>
        _statistics.ReadAsync(cancellationToken);

    /// <summary>The <c>HOST:PORT</c> worker hosts join: pass it to <c>clusterpool worker --join</c>.</summary>
    public string Address { get; }

    /// <summary>
    /// The live dashboard's address, such as <c>http://127.0.0.1:8265</c> (with the port it was given when
    /// <see cref="PoolOptions.Dashboard"/> asked for port 0); null when the pool has no dashboard. Open it in a
    /// browser.
    /// </summary>
    public string? DashboardAddress => _dashboard?.Url;

    /// <summary>Process ids of the local worker processes running now (embedded mode).</summary>
    public IReadOnlyCollection<int> LocalWorkerProcessIds => _parts.Spawner?.ProcessIds ?? [];

    /// <summary>
    /// The machines of <see cref="PoolOptions.Hosts"/>: whether each one's worker host runs, with how many slots,
    /// what was shipped to it, and why one does not run. Empty for a pool without hosts.
    /// </summary>
    public IReadOnlyList<RemoteHostStatus> RemoteHosts => _parts.Remote?.Statuses ?? [];

    /// <summary>How many of this pool's worker processes were spares started ahead for it
    /// (<see cref="Workers.SpareWorkers"/>).</summary>
    internal int AdoptedSpares => _parts.Spawner?.Adopted ?? 0;

    /// <summary>Whether this pool's actor system is the one of the program's last pool
    /// (<see cref="KeptActorSystems"/>).</summary>
    internal bool AdoptedActorSystem => _parts.AdoptedActorSystem;

    /// <summary>The spares waiting now that a pool of this one's settings would adopt (<see
    /// cref="Workers.SpareWorkers"/>): those started ahead for this program's next pool like it.</summary>
    internal IReadOnlyList<int> SparesForAPoolLikeThis => _parts.Spawner?.SpareProcessIds ?? [];

    /// <summary>
    /// Waits until <paramref name="slots"/> worker slots (default: <see cref="Processes"/> in embedded mode, and the
    /// slots of the <see cref="RemoteHosts"/> that run; 1 in cluster mode) have registered and can take work (a host
    /// that became unreachable is not counted while it is). Returns false if <paramref name="timeout"/> passed first.
    /// Python's pool has no such call; it is handy before timing something. Throws
    /// <see cref="PoolInterruptedException"/>
    /// if Ctrl+C comes while it waits, and <see cref="WorkerStartException"/> if the local workers cannot start.
    /// </summary>
    public bool WaitUntilReady(TimeSpan? timeout = null, int? slots = null)
    {
        _state.ThrowIfTerminated();
        var want = slots ?? Math.Max(1, (_parts.Spawner is null ? 0 : Processes) + (_parts.Remote?.Slots ?? 0));
        var limit = Timeouts.ForWait(timeout, nameof(timeout));
        var clock = Stopwatch.StartNew();
        // A signal while a thread waits here interrupts the pool, as during a call, so that this wait ends with
        // PoolInterruptedException (exit 130 under PoolProgram); taken for a signal between calls, it stopped the pool
        // under the wait, which then threw ObjectDisposedException and crashed the program (exit 134).
        Interlocked.Increment(ref _waitingUntilReady);
        try
        {
            while (_parts.Status.Slots < want)
            {
                if (limit is { } l && clock.Elapsed >= l) return false;
                if (_parts.Status.StartFailure is { } cannotStart) throw cannotStart;
                _state.ThrowIfTerminated(); // interrupted or terminated while waiting: no worker is coming
                Thread.Sleep(5);
            }
            return true;
        }
        finally { Interlocked.Decrement(ref _waitingUntilReady); }
    }

    private int _waitingUntilReady;

    /// <summary>
    /// The same pool, for calls with their own settings: <c>pool.With(new CallOptions { TaskTimeout = ...
    /// }).Map(...)</c>. Cheap: keep it, or make one per call.
    /// </summary>
    public PoolMethods With(CallOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Null: the pool's limit. Timeout.InfiniteTimeSpan: no limit for these calls, whatever the pool's.
        var taskTimeout = options.TaskTimeout is null ? _parts.Defaults.TaskTimeout
            : Timeouts.ForTask(options.TaskTimeout, $"{nameof(CallOptions)}.{nameof(CallOptions.TaskTimeout)}");
        return new PoolWithOptions(_parts.Submitter, new CallSettings(
            taskTimeout, options.OnTimeout, options.Name, options.Progress,
            options.Speculative ?? _parts.Defaults.Speculative));
    }
}
