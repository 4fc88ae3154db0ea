using Akka.Actor;
using Akka.Cluster;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Worker;

/// <summary>
/// The worker process's root actor: registers its slots with the coordinator (again and again until welcomed),
/// watches the coordinator, counts tasks for <c>MaxTasksPerChild</c>, and stops the process when its work is over.
/// </summary>
internal sealed class WorkerHost : ReceiveActor, IWithTimers
{
    /// <summary>What a worker host needs to know at start.</summary>
    public sealed record Settings(Address Coordinator, int Slots, BuildIdentity[] Build, FrameBudget Budget,
        TimeSpan RegisterRetry, TimeSpan CoordinatorLostAfter);

    private sealed record RegisterTick;
    private sealed record CoordinatorLost;

    private readonly Settings _settings;
    private readonly List<IActorRef> _slots = [];
    private IActorRef _coordinator = ActorRefs.Nobody;
    private int _maxTasks;
    private int _tasksDone;
    private int _retiredSlots;

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
        new RegisterSlots(Environment.MachineName, Environment.ProcessId, [.. _slots], _settings.Build));

    /// <summary>Waiting for the coordinator's welcome.</summary>
    private void Registering()
    {
        Receive<RegisterTick>(_ => Register());
        Receive<Welcome>(welcome =>
        {
            Timers.Cancel("register");
            _coordinator = Sender;
            _maxTasks = welcome.MaxTasksPerChild;
            Context.Watch(_coordinator);
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.MemberRemoved));
            var initializer = new ProcessInitializer(welcome.Initializer, welcome.InitArgs);
            foreach (var slot in _slots) slot.Tell(new WorkerSlot.StartPulling(_coordinator, initializer));
            Become(Working);
        });
        Receive<StopWorker>(_ => StopProcess());
    }

    /// <summary>Pulling work; retires after <c>MaxTasksPerChild</c> tasks.</summary>
    private void Working()
    {
        Receive<Welcome>(_ => { });
        Receive<RegisterTick>(_ => { });
        Receive<WorkerSlot.ChunkFinished>(_ => CountTask());
        Receive<WorkerSlot.SlotRetired>(_ =>
        {
            if (++_retiredSlots == _slots.Count) StopProcess();
        });
        Receive<StopWorker>(_ => StopProcess());
        Receive<Terminated>(t => t.ActorRef.Equals(_coordinator), _ => StopProcess());
        Receive<ClusterEvent.UnreachableMember>(m => m.Member.HasRole("coordinator"),
            _ => Timers.StartSingleTimer("lost", new CoordinatorLost(), _settings.CoordinatorLostAfter));
        Receive<ClusterEvent.ReachableMember>(m => m.Member.HasRole("coordinator"), _ => Timers.Cancel("lost"));
        Receive<ClusterEvent.MemberRemoved>(m => m.Member.HasRole("coordinator"), _ => StopProcess());
        Receive<CoordinatorLost>(_ => StopProcess());
        Receive<object>(_ => { });
    }

    private void CountTask()
    {
        _tasksDone++;
        if (_maxTasks <= 0 || _tasksDone != _maxTasks) return;
        _coordinator.Tell(new Retiring(Environment.ProcessId));
        foreach (var slot in _slots) slot.Tell(new WorkerSlot.Retire());
    }

    private void StopProcess()
    {
        Become(() => Receive<object>(_ => { }));
        // Leave the cluster politely when we can; the coordinator then re-queues at once instead of waiting.
        CoordinatedShutdown.Get(Context.System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
    }
}
