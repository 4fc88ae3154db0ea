using Akka.Actor;
using System.Diagnostics;
using Akka.Cluster;
using ClusterPool.Checkpoints;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Diagnostics;
using ClusterPool.Dispatch;
using ClusterPool.Dashboard;
using ClusterPool.Jobs;
using ClusterPool.Lifecycle;
using ClusterPool.Logging;
using ClusterPool.Output;
using ClusterPool.Contracts.Security;
using ClusterPool.Security;
using ClusterPool.Workers;
using Microsoft.Extensions.Logging;

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
    private const int Running = 0, Closed = 1, Terminated = 2;

    private readonly ActorSystem _system;
    private readonly IActorRef _coordinator;
    private readonly LocalWorkerSpawner? _spawner;
    private readonly PoolStatus _status;
    private readonly FrameBudget _budget;
    private readonly int _windowChunks;
    private readonly TimeSpan _stopGrace;
    private readonly CallSettings _defaults;
    private readonly TimeSpan _shutdownGrace;
    private readonly IDisposable? _signals;
    private readonly CheckpointStore? _checkpoint;
    private readonly TaskOutputSink? _taskOutput;
    private readonly DashboardServer? _dashboard;
    private readonly ILogger _log;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _callsPerFunction = new();
    private readonly HashSet<Task> _outstanding = [];
    private readonly CallRegistry _calls = new();
    private long _nextJobId;
    private int _state;

    private Pool(PoolOptions options, int processes, int localWorkers, bool clusterMode, DashboardEndpoint? dashboard)
    {
        Processes = processes;
        // The port is chosen before the actor system binds it, so the local workers can start at the same time.
        var (host, port) = options.ListenAddress is { } listen ? ParseAddress(listen) : ("127.0.0.1", LoopbackPort.Free());
        // Embedded mode needs no cluster: the pool is its workers' parent (hocon/embedded.hocon says why).
        var config = PoolConfig.Build(NodeRole.Coordinator, options.Config, host, port, clusterMember: clusterMode);
        var tls = PoolTls.Decide(options, config, host);
        config = PoolTls.Apply(config, tls);
        _budget = new FrameBudget(PoolConfig.FrameSize(config));
        _windowChunks = PoolConfig.ReadPositiveInt(config, "clusterpool.input.window-chunks");
        MaxResultsAhead = PoolConfig.ReadPositiveInt(config, "clusterpool.input.max-results-ahead");
        UnknownLengthChunksize = PoolConfig.ReadPositiveInt(config, "clusterpool.input.unknown-length-chunksize");
        _stopGrace = PoolConfig.ReadDuration(config, "clusterpool.local-workers.stop-grace");
        var timings = new TaskTimings(
            PoolConfig.ReadDuration(config, "clusterpool.dispatch.target-batch-duration"),
            PoolConfig.ReadDuration(config, "clusterpool.dispatch.short-task-threshold"),
            PoolConfig.ReadPositiveInt(config, "clusterpool.dispatch.max-chunks-per-slot"),
            PoolConfig.ReadNonNegativeInt(config, "clusterpool.dispatch.prefetch"));
        var welcome = new Welcome(
            options.Initializer is null ? null : FunctionReference.From(options.Initializer, nameof(options.Initializer)),
            options.Initializer is null ? null : PayloadSerializer.Serialize(options.InitArgs, "the initializer's arguments"),
            options.MaxTasksPerChild ?? 0,
            options.MaxMemoryPerChild ?? 0,
            PoolConfig.ReadDuration(config, "clusterpool.stuck-task-grace"),
            _shutdownGrace = options.ShutdownGrace ?? PoolConfig.ReadDuration(config, "clusterpool.shutdown-grace", allowZero: true),
            PoolConfig.ReadDuration(config, "clusterpool.send-results-every"));
        _defaults = new CallSettings(Timeouts.ForTask(options.TaskTimeout, nameof(PoolOptions.TaskTimeout)), null);
        var maxRetries = options.MaxRetries ?? PoolConfig.ReadNonNegativeInt(config, "clusterpool.max-retries");

        _status = new PoolStatus();
        var logging = PoolLogging.FactoryFor(options);
        _log = logging.CreateLogger(PoolLogging.Category);
        _taskOutput = TaskOutputSink.For(options);
        _checkpoint = options.Checkpoint is { } file ? new CheckpointStore(file, _log) : null;
        // The first local workers start first: a worker process takes longer to start than this actor system, and they
        // wait for its port before they register (a second of start-up becomes about half of one). The others start as
        // these register, a few per core at a time.
        if (localWorkers > 0)
        {
            var startingAtOnce = Math.Max(2, PoolConfig.ReadPositiveInt(config, "clusterpool.local-workers.starting-per-core") * Environment.ProcessorCount);
            _spawner = new LocalWorkerSpawner(localWorkers, options.SlotsPerProcess, startingAtOnce,
                PoolConfig.ReadBytes(config, "clusterpool.local-workers.gc-gen0-size", allowZero: true),
                new SpareSettings(PoolConfig.ReadDuration(config, "clusterpool.local-workers.spares.keep-for", allowZero: true),
                    PoolConfig.ReadNonNegativeInt(config, "clusterpool.local-workers.spares.most"), options.ListenAddress is null),
                $"{host}:{port}", options.Config, tls is null ? null : (tls.File, tls.Password),
                (pid, code, lastErrorLines) => _coordinator?.Tell(new PoolCoordinator.WorkerProcessExited(pid, code, lastErrorLines)),
                logging.CreateLogger($"{PoolLogging.Category}.Worker"), _taskOutput);
            _status.LocalWorkerRegistered += _spawner.OnRegistered;
            _spawner.StartAll();
        }
        try
        {
            var setup = BootstrapSetup.Create().WithConfig(config).And(new LoggingSetup(logging));
            // A refused peer (another cluster's certificate, none, an expired one) is logged once per address.
            if (tls is not null)
                setup = setup.And(ClusterTls.Setup(tls.Node, (peer, why) => _log.LogWarning("refused a connection from {Peer}: {Why}", peer, why)));
            _system = ActorSystem.Create(PoolConfig.SystemName, setup);
            _spawner?.AnnounceListening(); // Akka.Remote listens once the system is created
        }
        catch
        {
            _spawner?.Dispose();
            _checkpoint?.Dispose();
            throw;
        }
        try
        {
            _coordinator = _system.ActorOf(PoolCoordinator.Props(new PoolCoordinator.Settings(
                _budget, timings, maxRetries, welcome, _status, _taskOutput)), "pool");
            var self = ((ExtendedActorSystem)_system).Provider.DefaultAddress;
            if (clusterMode)
            {
                var cluster = Cluster.Get(_system);
                _system.ActorOf(UnreachableHostDowner.Props(PoolConfig.ReadDuration(config, "clusterpool.hosts.down-unreachable-after")), "downing");
                cluster.JoinSeedNodes(options.SeedNodes?.Select(seed => ParseSeed(seed, tls is not null)).ToList() ?? [self]);
            }
            Address = $"{self.Host}:{self.Port}";

            // However the coordinator's actor system ends (Terminate, an interrupt, being downed),
            // the pool is over: no new calls, and no worker process outlives it.
            _system.WhenTerminated.ContinueWith(_ => OnSystemTerminated(), TaskScheduler.Default);

            if (dashboard is not null)
                _dashboard = DashboardServer.Start(dashboard, new DashboardSource(Address, () => Statistics, () => Calls),
                    DashboardSettings.Read(config), logging);

            if (options.HandleInterrupts) _signals = InterruptSignals.Listen(OnInterrupt);
            PoolMetrics.Watch(this);
        }
        catch
        {
            _dashboard?.Dispose();
            _checkpoint?.Dispose();
            _signals?.Dispose();
            _spawner?.Dispose();
            _system.Terminate().Wait(TimeSpan.FromSeconds(5));
            throw;
        }
    }

    /// <summary>
    /// Starts a pool (Python's <c>Pool(...)</c>). Returns once the coordinator listens (about half a second: its actor
    /// system starts here) and the worker processes are starting; calls made before the workers are up wait in the queue. See <see cref="WaitUntilReady"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count in <paramref name="options"/> is zero or negative.</exception>
    /// <exception cref="PoolConfigurationException">A configuration setting is malformed; the message names it.</exception>
    /// <exception cref="ArgumentException"><see cref="PoolOptions.Dashboard"/> is not <c>HOST:PORT</c>.</exception>
    /// <exception cref="IOException">The dashboard cannot listen at <see cref="PoolOptions.Dashboard"/> (in use, or not an address of this machine); the message names it.</exception>
    public static Pool Start(PoolOptions? options = null)
    {
        options ??= new PoolOptions();
        var processes = options.Processes ?? Environment.ProcessorCount;
        // The same checks a hosted pool's options validation reports (AddClusterPool): the first one found is thrown.
        if (PoolOptionsRules.Problems(options).FirstOrDefault() is { } problem) throw problem.ToException();
        var dashboard = options.Dashboard is { } address ? DashboardEndpoint.Parse(address) : null;
        var clusterMode = options.ListenAddress is not null || options.SeedNodes is { Count: > 0 };
        return new Pool(options, processes, options.LocalWorkers ?? (clusterMode ? 0 : processes), clusterMode, dashboard);
    }

    /// <summary>Starts a pool without blocking the calling thread; see <see cref="Start"/>.</summary>
    public static Task<Pool> StartAsync(PoolOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Start(options), cancellationToken);

    /// <summary>The pool size: <see cref="PoolOptions.Processes"/>. Map's default chunksize is computed from it.</summary>
    public int Processes { get; }

    /// <summary>Worker slots registered right now (local and remote).</summary>
    public int Slots => _status.Slots;

    /// <summary>
    /// The pool now: its slots (busy and idle), queued items, running calls, each host's share, the items done, failed
    /// and run again, and the workers and hosts it lost and got over. Asked of the coordinator (well under a millisecond
    /// on an idle pool); after the pool has stopped, its last counters.
    /// </summary>
    public PoolStatistics Statistics
    {
        get
        {
            var counters = _status.Snapshot();
            if (Volatile.Read(ref _state) == Terminated) return counters;
            // What only the coordinator knows (busy slots, queue, hosts) is asked at most every 20 ms: a caller that polls
            // in a tight loop must not flood it. The counters are always this moment's.
            var last = Volatile.Read(ref _lastAsked);
            var asked = last?.Statistics;
            if (last is null || Stopwatch.GetElapsedTime(last.At) > TimeSpan.FromMilliseconds(20))
            {
                try
                {
                    asked = _coordinator.Ask<PoolStatistics>(PoolCoordinator.GetStatistics.Instance, TimeSpan.FromSeconds(5)).Result;
                    Volatile.Write(ref _lastAsked, new AskedStatistics(asked, Stopwatch.GetTimestamp()));
                }
                catch (AggregateException) { } // stopping, or too busy to answer: the counters still hold
            }
            return asked is null ? counters : counters with
            {
                BusySlots = asked.BusySlots, QueuedItems = asked.QueuedItems, RunningCalls = asked.RunningCalls, Hosts = asked.Hosts,
            };
        }
    }

    private AskedStatistics? _lastAsked;

    private sealed record AskedStatistics(PoolStatistics Statistics, long At);

    /// <summary>The <c>HOST:PORT</c> worker hosts join: pass it to <c>clusterpool worker --join</c>.</summary>
    public string Address { get; }

    /// <summary>
    /// The live dashboard's address, such as <c>http://127.0.0.1:8265</c> (with the port it was given when
    /// <see cref="PoolOptions.Dashboard"/> asked for port 0); null when the pool has no dashboard. Open it in a browser.
    /// </summary>
    public string? DashboardAddress => _dashboard?.Url;

    /// <summary>Process ids of the local worker processes running now (embedded mode).</summary>
    public IReadOnlyCollection<int> LocalWorkerProcessIds => _spawner?.ProcessIds ?? [];

    /// <summary>How many of this pool's worker processes were spares started ahead for it (<see cref="Workers.SpareWorkers"/>).</summary>
    internal int AdoptedSpares => _spawner?.Adopted ?? 0;

    /// <summary>
    /// Waits until <paramref name="slots"/> worker slots (default: <see cref="Processes"/> × slots per process in
    /// embedded mode, 1 in cluster mode) have registered. Returns false if <paramref name="timeout"/> passed first.
    /// Python's pool has no such call; it is handy before timing something. Throws <see cref="PoolInterruptedException"/>
    /// if Ctrl+C comes while it waits, and <see cref="WorkerStartException"/> if the local workers cannot start.
    /// </summary>
    public bool WaitUntilReady(TimeSpan? timeout = null, int? slots = null)
    {
        ThrowIfTerminated();
        var want = slots ?? Math.Max(1, _spawner is null ? 1 : Processes);
        var limit = Timeouts.ForWait(timeout, nameof(timeout));
        var clock = Stopwatch.StartNew();
        while (_status.Slots < want)
        {
            if (limit is { } l && clock.Elapsed >= l) return false;
            if (_status.StartFailure is { } cannotStart) throw cannotStart;
            ThrowIfTerminated(); // interrupted or terminated while waiting: no worker is coming
            Thread.Sleep(5);
        }
        return true;
    }

    /// <summary>
    /// The same pool, for calls with their own settings: <c>pool.With(new CallOptions { TaskTimeout = ... }).Map(...)</c>.
    /// Cheap: keep it, or make one per call.
    /// </summary>
    public PoolMethods With(CallOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Null: the pool's limit. Timeout.InfiniteTimeSpan: no limit for these calls, whatever the pool's.
        var taskTimeout = options.TaskTimeout is null ? _defaults.TaskTimeout
            : Timeouts.ForTask(options.TaskTimeout, $"{nameof(CallOptions)}.{nameof(CallOptions.TaskTimeout)}");
        return new PoolWithOptions(this, new CallSettings(taskTimeout, options.OnTimeout, options.Name, options.Progress));
    }

    private protected override Pool Target => this;

    private protected override CallSettings Settings => _defaults;

    /// <summary>
    /// The pool size Map's default chunksize divides by: Python's <c>len(pool._pool)</c>, its number of workers. Here
    /// the slots that can run tasks at once: those registered now (a cluster's hosts may bring hundreds), and no
    /// fewer than <see cref="Processes"/> (the workers a pool still starting will have). Dividing by Processes alone
    /// gave 1,024 slots eight chunks of a Map.
    /// </summary>
    internal int PoolSize => Math.Max(Math.Max(Slots, Processes), 1);

    /// <summary>IMap's read-ahead limit, in results waiting for the caller (<c>clusterpool.input.max-results-ahead</c>).</summary>
    internal int MaxResultsAhead { get; }

    /// <summary>Map's chunksize when the input's length is unknown (<c>clusterpool.input.unknown-length-chunksize</c>).</summary>
    internal int UnknownLengthChunksize { get; }

    /// <summary>Starts a call: its feeder reads <paramref name="items"/> lazily; results go to <paramref name="output"/>.</summary>
    /// <typeparam name="TItem">An item's single argument (<paramref name="oneArgument"/>) or its argument list (<c>object?[]</c>).</typeparam>
    internal void Submit<TItem>(FunctionRef function, IEnumerable<TItem> items, bool oneArgument, ChunkPlan chunks, JobOutput output,
        Task completion, AheadGate? gate, CallSettings settings, bool checkpointed, CancellationToken cancellationToken, out long jobId,
        out ProgressTracker progress, string method)
    {
        ThrowIfNotRunning();
        var checkpoint = checkpointed && _checkpoint is not null ? _checkpoint.BeginCall(CallName(function, settings), function.DisplayName) : null;
        jobId = Interlocked.Increment(ref _nextJobId);
        long? total = items.TryGetNonEnumeratedCount(out var count) ? count : null;
        progress = new ProgressTracker(total, _status, jobId, function.DisplayName);
        if (settings.Progress is { } report) progress.Subscribe(report.Report);
        var feeder = new InputFeeder<TItem>(jobId, function, items, chunks, _budget, _windowChunks, gate, oneArgument, settings.TaskTimeout, checkpoint);
        var job = new Job(jobId, function, feeder, output, settings, checkpoint, progress);
        Track(completion);
        _calls.Add(jobId, progress, completion);
        PoolTracing.TraceCall(method, function.DisplayName, total, completion, progress.Snapshot);
        feeder.Start();
        _coordinator.Tell(new PoolCoordinator.SubmitJob(job));
        if (cancellationToken.CanBeCanceled)
        {
            var id = jobId;
            var registration = cancellationToken.Register(() => Cancel(id, new OperationCanceledException("the call was cancelled", cancellationToken)));
            completion.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }
    }

    /// <summary>
    /// A call's name in the checkpoint: the caller's (<see cref="CallOptions.Name"/>), else the function's, numbered
    /// from its second call in this pool (<c>Analysis.Score</c>, <c>Analysis.Score#2</c>), so the same program run again
    /// finds its calls under the same names.
    /// </summary>
    private string CallName(FunctionRef function, CallSettings settings)
    {
        if (settings.Name is { } name) return name;
        var count = _callsPerFunction.AddOrUpdate(function.DisplayName, 1, (_, n) => n + 1);
        return count == 1 ? function.DisplayName : $"{function.DisplayName}#{count}";
    }

    /// <summary>The pool's logger (category <c>ClusterPool</c>).</summary>
    internal ILogger Log => _log;

    /// <summary>The running calls' progress and the last finished ones', newest first (for the dashboard and the metrics).</summary>
    internal List<CallProgress> Calls => _calls.Snapshot();

    internal void Cancel(long jobId, Exception reason) => _coordinator.Tell(new PoolCoordinator.CancelCall(jobId, reason));

    private void Track(Task completion)
    {
        lock (_outstanding) _outstanding.Add(completion);
        completion.ContinueWith(t => { lock (_outstanding) _outstanding.Remove(t); }, TaskScheduler.Default);
    }

    private static (string Host, int Port) ParseAddress(string listen)
    {
        try { return ClusterPool.Worker.WorkerRuntime.ParseJoin(listen); }
        catch (ArgumentException) { throw new ArgumentException($"{nameof(PoolOptions.ListenAddress)} must be HOST:PORT, not \"{listen}\"", "options"); }
    }

    private static Address ParseSeed(string seed, bool tls)
    {
        var (host, port) = ParseAddress(seed);
        return new Address(ClusterTls.Protocol(tls), PoolConfig.SystemName, host, port);
    }
}
