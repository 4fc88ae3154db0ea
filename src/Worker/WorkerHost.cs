using ClusterPool.Contracts.Launch;
using Akka.Actor;
using Akka.Cluster;
using Akka.Remote;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Security;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Worker;

/// <summary>
/// The worker process's root actor: registers its slots with the coordinator (again and again until welcomed),
/// watches the coordinator, retires the process after <c>MaxTasksPerChild</c> tasks or past <c>MaxMemoryPerChild</c>,
/// recycles it when a task will not stop, and stops it when its coordinator is gone — with an exit code
/// (<see cref="WorkerExit"/>) that says why. Why a welcome does not come is told apart in WorkerHost.Joining.cs.
/// </summary>
internal sealed partial class WorkerHost : ReceiveActor, IWithTimers
{
    /// <summary>What a worker host needs to know at start.</summary>
    /// <param name="Coordinator">The coordinator's address.</param>
    /// <param name="Slots">How many tasks this process runs at once.</param>
    /// <param name="Build">The application assemblies this process loaded.</param>
    /// <param name="Budget">The largest payload one message may carry.</param>
    /// <param name="RegisterRetry">How often to register again until welcomed.</param>
    /// <param name="CoordinatorLostAfter">How long a cut-off host waits for its coordinator before it stops.</param>
    /// <param name="JoinAnswerTimeout">How long the pool's port may accept connections while no ClusterPool node
    /// answers there before the host says nothing did (<c>clusterpool.worker.join-answer-timeout</c>).</param>
    /// <param name="Embedded">Started by a pool on this machine: not a cluster member, and not watched over the network
    /// (the pool sees this process exit; <see cref="ParentWatch"/> sees the pool go).</param>
    /// <param name="AnnounceJoin">Say on stderr once the pool has welcomed this host.</param>
    /// <param name="Certificate">This host's TLS certificate, or null for plain text: what a refused host checks to say
    /// why.</param>
    public sealed record Settings(Address Coordinator, int Slots, BuildIdentity[] Build, bool Embedded,
        bool AnnounceJoin,
        NodeCertificate? Certificate, FrameBudget Budget,
        TimeSpan RegisterRetry, TimeSpan CoordinatorLostAfter, TimeSpan JoinAnswerTimeout);

    /// <summary>
    /// SIGTERM (or Ctrl+C at a supervised host): take no more work, hand back what is queued, finish the running tasks
    /// within the pool's shutdown grace, hand back whatever still runs, then leave the cluster and exit 0. The
    /// coordinator runs the handed-back chunks elsewhere at once, without waiting for the failure detector.
    /// </summary>
    public sealed record Drain
    {
        public static readonly Drain Instance = new();
    }

    private sealed record DrainDeadline;
    private sealed record RegisterTick;
    private sealed record CoordinatorLost;
    private sealed record ProbeTick;
    private sealed record IdentifyTick;
    private sealed record SendOutput;

    /// <summary>A task wrote a line: send what is held within <see cref="TaskConsole.SendEvery"/>.</summary>
    private sealed record OutputHeld
    {
        public static readonly OutputHeld Instance = new();
    }

    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often a joined host asks which coordinator runs at the pool's address: a pool killed and started
    /// again at once answers there with another one.</summary>
    private static readonly TimeSpan IdentifyInterval = TimeSpan.FromSeconds(2);
    private readonly Settings _settings;
    private readonly List<IActorRef> _slots = [];
    private IActorRef _coordinator = ActorRefs.Nobody;
    private Welcome _welcome = null!;
    private int _tasksDone;
    private int _retiredSlots;
    private bool _retiring;
    private bool _draining;
    private bool _reregistering;
    private bool _coordinatorListened;
    private bool _poolClosing;
    private bool _saidWaiting;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Settings settings) => Akka.Actor.Props.Create(() => new WorkerHost(settings));

    public WorkerHost(Settings settings)
    {
        _settings = settings;
        Registering();
    }

    protected override void PreStart()
    {
        for (var i = 0; i < _settings.Slots; i++)
            _slots.Add(Context.ActorOf(WorkerSlot.Props(_settings.Budget), $"slot-{i}"));
        Register();
        Timers.StartPeriodicTimer("register", new RegisterTick(), _settings.RegisterRetry);
    }

    private string CoordinatorPath => $"{_settings.Coordinator}/user/pool";

    private void Register() => Context.ActorSelection(CoordinatorPath).Tell(
        new RegisterSlots(Environment.MachineName, Environment.ProcessId, [.. _slots], _settings.Build,
            _settings.Embedded));

    /// <summary>Waiting for the coordinator's welcome.</summary>
    private void Registering()
    {
        // Unanswered: ask its port too. A coordinator that listened once and now refuses connections died before it
        // welcomed us (nothing else would end this state); one that never listened yet may still come.
        Receive<RegisterTick>(_ =>
        {
            Register();
            Probe();
            if (!_settings.Embedded) Identify();
        });
        // A ClusterPool node answers at the pool's address but runs no pool there: most likely a worker host's port
        // given to --join. Retrying would never help.
        Receive<ActorIdentity>(identity =>
        {
            // Not delivered (nothing listens there yet, TLS refused): this node's dead letters answer, not that one.
            if (Sender.Path.Address.Host is null) return;
            _nodeAnswered = true; // a ClusterPool node is there, however slow: never "nothing answered"
            if (identity.Subject is not null)
            {
                _noPoolSince = null;
                return;
            }
            _noPoolSince ??= DateTime.UtcNow;
            if (DateTime.UtcNow - _noPoolSince < NoPoolAfter) return;
            ProcessConsole.Error.WriteLine(
                $"clusterpool worker: cannot join: what answers at {_settings.Coordinator.Host}:" +
                $"{_settings.Coordinator.Port} is a ClusterPool node but runs no pool (a worker host's port?): " +
                "--join takes the pool's address (its PoolOptions.ListenAddress, or `demo --listen`)");
            StopProcess(WorkerExitCode.Refused);
        });
        Receive<ProbeResult>(result =>
        {
            if (result == ProbeResult.Answered)
            {
                _coordinatorListened = true;
                _answeredSince ??= DateTime.UtcNow;
                _listeningSince ??= DateTime.UtcNow;
                if (_settings.Embedded || _diagnosing) return;
                // Nothing spoke for too long, and the TLS check found nothing wrong: no pool there.
                if (Unanswered && _diagnosedSinceListening)
                {
                    SayNothingAnswered();
                    return;
                }
                // Its port answers, yet no welcome: TLS certificates that do not belong together are the likely cause.
                // Checked before the host says that nothing answered, which the same mismatch looks like.
                var diagnoseAfter = _settings.Certificate is null ? DiagnoseAfterWithoutTls : DiagnoseAfter;
                if (DateTime.UtcNow - _answeredSince > diagnoseAfter || Unanswered) Diagnose();
            }
            else if (result == ProbeResult.Refused && _coordinatorListened) StopProcess(WorkerExitCode.CoordinatorGone);
            else if (!_coordinatorListened && !_settings.Embedded && !_saidWaiting)
            {
                // Akka's own lines about the unreachable address are kept quiet (StdErrLogger): this one says what to
                // do.
                _saidWaiting = true;
                ProcessConsole.Error.WriteLine(
                    "clusterpool worker: waiting for the pool at " +
                    $"{_settings.Coordinator.Host}:{_settings.Coordinator.Port}: " +
                    (result == ProbeResult.Refused ? "nothing listens there yet" : "no answer yet") +
                    " (start the pool with that ListenAddress, or check --join and the network); retrying");
            }
        });
        Receive<Welcome>(welcome =>
        {
            Timers.Cancel("register");
            _coordinator = Sender;
            _welcome = welcome;
            var self = Self;
            TaskConsole.SendTo(_coordinator, () => self.Tell(OutputHeld.Instance), _settings.Budget);
            if (_settings.AnnounceJoin)
                ProcessConsole.Error.WriteLine(
                    "clusterpool worker: joined the pool at " +
                    $"{_settings.Coordinator.Host}:{_settings.Coordinator.Port} with {_settings.Slots} slot(s) " +
                    $"(this host: {Environment.MachineName}, pid {Environment.ProcessId})");
            if (!_settings.Embedded)
            {
                WatchCoordinator();
                Timers.StartPeriodicTimer("identify", new IdentifyTick(), IdentifyInterval);
            }
            var initializer = new ProcessInitializer(welcome.Initializer, welcome.InitArgs);
            // As Python's pool: the initializer runs as the worker process starts, whether or not a task ever comes;
            // a chunk that arrives meanwhile waits for it (and fails with its error, if it fails).
            _ = Task.Run(initializer.EnsureRan);
            var tasks = new TaskBudget(welcome.MaxTasksPerChild);
            // only a pool on this machine names a folder, and only to the workers it started
            var handOver = _settings.Embedded && welcome.HandOverFolder is { } folder
                ? new ResultHandOver(folder, welcome.HandOverAbove)
                : ResultHandOver.None;
            foreach (var slot in _slots) slot.Tell(new WorkerSlot.StartPulling(
                _coordinator, initializer, tasks, welcome.StuckTaskGrace, welcome.SendResultsEvery, handOver));
            Become(Working);
        });
        Receive<Diagnosed>(diagnosed =>
        {
            _diagnosing = false;
            _diagnosedSinceListening = true;
            _answeredSince = DateTime.UtcNow; // ask again later if nothing was found (a slow pool)
            if (diagnosed.Why is { } why)
            {
                ProcessConsole.Error.WriteLine($"clusterpool worker: cannot join: {why}");
                StopProcess(WorkerExitCode.Refused);
            }
            else if (Unanswered) SayNothingAnswered();
        });
        Receive<StopWorker>(PoolClosing);
        Receive<Drain>(_ => StopProcess(WorkerExitCode.Stopped));
    }

    /// <summary>Pulling work; retires when it has done its share; watches for a lost coordinator.</summary>
    private void Working()
    {
        Receive<Reregister>(_ =>
        {
            _reregistering = true;
            Register();
        });
        // Welcomed again after a Reregister: the coordinator forgot what the slots asked for, so they ask again. (A
        // second answer to the first registration's retries changes nothing.)
        Receive<Welcome>(_ =>
        {
            if (!_reregistering) return;
            _reregistering = false;
            foreach (var slot in _slots) slot.Tell(WorkerSlot.AskAgain.Instance);
        });
        Receive<RegisterTick>(_ => { });
        Receive<ForgetShared>(forget => Sharing.MachineShares.Current?.Forget(forget.Hash));
        Receive<OutputHeld>(_ =>
        {
            if (!Timers.IsTimerActive("output")) Timers.StartSingleTimer(
                "output", new SendOutput(), TaskConsole.SendEvery);
        });
        Receive<SendOutput>(_ => TaskConsole.Flush());
        Receive<WorkerSlot.ChunkFinished>(_ => CountTask());
        Receive<WorkerSlot.ChunkReturned>(_ => Retire()); // the budget is spent while another slot runs the last task
        Receive<WorkerSlot.SlotRetired>(_ =>
        {
            if (++_retiredSlots == _slots.Count) StopProcess(
                _draining ? WorkerExitCode.Stopped : WorkerExitCode.Recycle);
        });
        Receive<Drain>(_ =>
        {
            _draining = true;
            Retire();
            Timers.StartSingleTimer("drain", new DrainDeadline(), _welcome.ShutdownGrace);
        });
        Receive<DrainDeadline>(_ =>
        {
            // Tasks still running past the grace period: their chunks run elsewhere, counted as no loss.
            _coordinator.Tell(new Recycling(Environment.ProcessId,
                $"worker host {Environment.MachineName} (pid {Environment.ProcessId}) was stopped by a signal"));
            StopProcess(WorkerExitCode.Stopped);
        });
        Receive<WorkerSlot.Stuck>(_ => StopProcess(WorkerExitCode.Recycle));
        Receive<StopWorker>(PoolClosing);

        // The coordinator's actor stopped or its node left: the pool is over, or this side was cut off. A pool that
        // closes sends StopWorker first; otherwise the exit code says "lost contact" and a supervisor probes (the pool,
        // for a host it started over SSH, starts it again).
        Receive<Terminated>(t => t.ActorRef.Equals(_coordinator), _ => StopProcess(WorkerExitCode.LostContact));
        Receive<ClusterEvent.MemberRemoved>(m => m.Member.HasRole("coordinator"), _ =>
            StopProcess(WorkerExitCode.LostContact));

        // Silence from the coordinator: dead (its port refuses connections; exit now) or cut off (wait, then give up).
        Receive<ClusterEvent.UnreachableMember>(m => m.Member.HasRole("coordinator"), _ =>
        {
            Timers.StartSingleTimer("lost", new CoordinatorLost(), _settings.CoordinatorLostAfter);
            Timers.StartPeriodicTimer("probe", new ProbeTick(), ProbeInterval);
            Probe();
        });
        Receive<DisassociatedEvent>(e => e.RemoteAddress.Equals(_settings.Coordinator), _ => Probe());
        Receive<ClusterEvent.ReachableMember>(m => m.Member.HasRole("coordinator"), _ =>
        {
            Timers.Cancel("lost");
            Timers.Cancel("probe");
        });
        Receive<ProbeTick>(_ => Probe());
        Receive<ProbeResult>(result =>
        {
            if (result == ProbeResult.Refused) StopProcess(WorkerExitCode.CoordinatorGone);
        });
        Receive<CoordinatorLost>(_ => StopProcess(WorkerExitCode.LostContact));
        // A pool killed (kill -9) and started again at once on the same address: its port never refuses connections,
        // and the new pool answers this host's heartbeats, so nothing above notices; its coordinator is another actor.
        // This host's cluster was the old pool's: a fresh host (its supervisor, or the pool over SSH, starts one) joins
        // the new pool.
        Receive<IdentifyTick>(_ => Identify());
        Receive<ActorIdentity>(identity => identity.Subject is { } now && !now.Equals(_coordinator), _ =>
            StopProcess(WorkerExitCode.PoolRestarted));
        Receive<object>(_ => { });
    }

    /// <summary>A host on another machine: the cluster's failure detector and the connection tell it when its
    /// coordinator is gone.</summary>
    private void WatchCoordinator()
    {
        Context.Watch(_coordinator);
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.MemberRemoved));
        Context.System.EventStream.Subscribe(Self, typeof(DisassociatedEvent));
    }

    /// <summary>Asks which coordinator actor runs at the pool's address (<see cref="ActorIdentity"/>; none: no
    /// pool).</summary>
    private void Identify() => Context.ActorSelection(CoordinatorPath).Tell(new Identify(null));

    private void Probe()
    {
        var (host, port) = (_settings.Coordinator.Host!, _settings.Coordinator.Port!.Value);
        CoordinatorProbe.CheckAsync(host, port, ProbeInterval).PipeTo(Self);
    }

    private void CountTask()
    {
        _tasksDone++;
        if (_retiring) return;
        var tooMany = _welcome.MaxTasksPerChild > 0 && _tasksDone >= _welcome.MaxTasksPerChild;
        // Between tasks, as Python checks maxtasksperchild: a process past its memory limit finishes what it runs and
        // is replaced.
        var tooBig = _welcome.MaxMemoryPerChild > 0 && Environment.WorkingSet > _welcome.MaxMemoryPerChild;
        if (!tooMany && !tooBig) return;
        Retire();
    }

    /// <summary>Tells the coordinator to send no more work, and the slots to hand back what is queued and finish what
    /// runs.</summary>
    private void Retire()
    {
        if (_retiring) return;
        _retiring = true;
        _coordinator.Tell(new Retiring(Environment.ProcessId));
        foreach (var slot in _slots) slot.Tell(new WorkerSlot.Retire());
    }

    /// <summary>The pool closes or terminates (StopWorker): exit at once. Or it refuses this host: the pool goes on,
    /// so the host leaves its cluster first, or every member would call it unreachable once it is gone (and say so in
    /// a warning).</summary>
    private void PoolClosing(StopWorker stop)
    {
        if (stop.Refusal is { } why)
        {
            ProcessConsole.Error.WriteLine($"clusterpool worker: the pool refused this host: {why}");
            StopProcess(WorkerExitCode.Refused, leave: true);
            return;
        }
        _poolClosing = true;
        StopProcess(WorkerExitCode.Stopped);
    }

    private void StopProcess(int exitCode, bool leave = false)
    {
        WorkerExit.Decide(exitCode);
        Become(() => Receive<object>(_ => { }));
        TaskConsole.EndEveryLine(); // what any thread wrote without a newline after it goes too
        TaskConsole.Flush();
        // The coordinator is gone or going (the pool closes: StopWorker): there is no one to hand work back to or to
        // leave politely, and a cluster leave without a leader waits out every phase's timeout (and says so in a
        // warning). Exit now; the supervisor (or the pool over SSH) reads the code.
        if (!leave && (exitCode is WorkerExitCode.CoordinatorGone or WorkerExitCode.LostContact
                or WorkerExitCode.Refused or WorkerExitCode.PoolRestarted || _poolClosing))
            Environment.Exit(WorkerExit.Code);
        // Leave the cluster politely when we can; the coordinator then re-queues at once instead of waiting.
        CoordinatedShutdown.Get(Context.System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
    }
}
