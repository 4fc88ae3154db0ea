using ClusterPool.Contracts.Launch;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Diagnostics;
using ClusterPool.Jobs;
using ClusterPool.Output;
using ClusterPool.Workers;

namespace ClusterPool.Dispatch;

/// <summary>
/// The pool's coordinator actor. It only moves messages between the network and its bookkeeping:
/// <code>
///  caller's items ─► InputFeeder ─► WorkQueue ─► InFlightTable ─► WorkerSlot (another process)
///                                      ▲  lost / handed back │              │ ChunkResult
///                                      └─────────────────────┘              ▼
///                                                    Job (ordering, once-only) ─► AsyncResult / IMapIterator
/// </code>
/// Slots pull: a slot's first <see cref="RequestWork"/> makes it eligible, and each completed chunk frees room for more.
/// </summary>
internal sealed partial class PoolCoordinator : ReceiveActor, IWithTimers
{
    /// <summary>What the coordinator is configured with.</summary>
    public sealed record Settings(FrameBudget Budget, TaskTimings Timings, int MaxRetries, Welcome Welcome, PoolStatus Status, TaskOutputSink? TaskOutput = null);

    private readonly Settings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<long, Job> _jobs = [];
    private readonly WorkQueue _queue = new();
    private readonly InFlightTable _inFlight = new();
    private readonly SlotTable _slots = new();
    private readonly HashSet<Slot> _ready = [];
    private readonly Dictionary<IActorRef, (int Pid, bool Embedded)> _hosts = [];
    private readonly StartFailures _startFailures = new();
    private readonly HostTally _hostTally = new();
    private readonly ChunkRecovery _recovery;
    private readonly BatchPlanner _planner;
    private Interrupt? _interrupt;
    private IActorRef _interruptedBy = ActorRefs.Nobody;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Settings settings) => Akka.Actor.Props.Create(() => new PoolCoordinator(settings));

    public PoolCoordinator(Settings settings)
    {
        _settings = settings;
        _recovery = new ChunkRecovery(_queue, _inFlight, settings.MaxRetries, settings.Status);
        _planner = new BatchPlanner(_queue, _inFlight, _slots, settings.Timings, settings.Budget);
        Receive<SubmitJob>(submit =>
        {
            if (_log.IsDebugEnabled) _log.Debug("submit job {0}", submit.Job.Id);
            if (_settings.Status.StartFailure is { } cannotStart) { submit.Job.Fail(cannotStart); return; }
            _jobs[submit.Job.Id] = submit.Job;
            _queue.AddJob(submit.Job);
            DispatchSoon();
        });
        Receive<InputReady>(_ => DispatchSoon());
        Receive<DispatchNow>(_ =>
        {
            _dispatchPending = false;
            Dispatch();
        });
        Receive<CancelCall>(cancel =>
        {
            if (_jobs.TryGetValue(cancel.JobId, out var job)) job.Fail(cancel.Reason);
            Forget(cancel.JobId);
        });
        Receive<RegisterSlots>(Register);
        Receive<TaskOutput>(output => _settings.TaskOutput?.Post(output));
        Receive<GetStatistics>(_ => Sender.Tell(_settings.Status.Snapshot() with
        {
            BusySlots = _slots.All.Count(s => s.Held.Count > 0),
            QueuedItems = _queue.QueuedItems,
            RunningCalls = _jobs.Count,
            Hosts = _hostTally.Snapshot(_slots.All),
        }));
        Receive<RequestWork>(_ =>
        {
            if (_log.IsDebugEnabled) _log.Debug("request from {0}, known={1}", Sender.Path, _slots.Find(Sender) is not null);
            if (_slots.Find(Sender) is { } slot) { _ready.Add(slot); DispatchSoon(); }
        });
        Receive<ChunkResult>(OnResult);
        Receive<ChunkResults>(batch =>
        {
            foreach (var part in batch.Parts) OnResult(part);
        });
        Receive<HandBack>(handBack =>
        {
            if (_slots.Find(Sender) is { } from)
            {
                _planner.Heard(from);
                // Back to the front in their order (PushFront of each in reverse): the first handed back runs first.
                foreach (var chunk in Enumerable.Reverse(handBack.Chunks))
                    if (_inFlight.Release(ChunkKey.Of(chunk), from) is not null) _queue.PushFront(chunk);
            }
            DispatchSoon();
            FinishInterruptIfIdle();
        });
        Receive<Retiring>(retiring =>
        {
            foreach (var slot in _slots.At(Sender.Path.Address, retiring.Pid)) slot.Retiring = true;
        });
        Receive<Recycling>(recycling =>
        {
            // Sent by the slot whose task would not stop, right after that task's timeout result: what the process
            // holds besides runs again elsewhere at once, and counts no loss (it was not those chunks' fault).
            var slots = _slots.At(Sender.Path.Address, recycling.Pid);
            foreach (var slot in slots) slot.Retiring = true;
            Lose(slots, recycling.Reason, countLoss: false);
        });
        Receive<ClusterEvent.UnreachableMember>(unreachable =>
        {
            // Do not wait for the split-brain resolver to down the host (seconds more): its chunks run elsewhere now.
            // If it comes back, its late results are dropped (it no longer holds those chunks) and it gets new work.
            var slots = _slots.At(unreachable.Member.Address);
            foreach (var slot in slots) slot.Unreachable = true;
            if (slots.Count > 0) _settings.Status.HostUnreachable();
            // Not counted against the chunks: a network blip or a long pause is not their fault (a crash is a process exit).
            Lose(slots, $"host {unreachable.Member.Address.Host}:{unreachable.Member.Address.Port} became unreachable", countLoss: false);
        });
        Receive<ClusterEvent.ReachableMember>(reachable =>
        {
            foreach (var slot in _slots.At(reachable.Member.Address))
            {
                slot.Unreachable = false;
                _ready.Add(slot); // it asked for work once, long ago: it gets work again without asking
            }
            DispatchSoon();
        });
        Receive<Terminated>(terminated =>
        {
            if (_slots.Remove(terminated.ActorRef) is { } slot) Lose([slot], "its worker stopped");
            if (_hosts.Remove(terminated.ActorRef, out var host))
            {
                Lose(_slots.RemoveAt(terminated.ActorRef.Path.Address, host.Pid), "its worker host stopped");
                // "Terminated" for a whole address also reaches a host restarted there, alive: it registers again.
                if (terminated.AddressTerminated) terminated.ActorRef.Tell(Reregister.Instance);
            }
        });
        Receive<WorkerProcessExited>(exited =>
        {
            var gone = _hosts.Where(h => h.Value == (exited.Pid, true)).Select(h => h.Key).ToList();
            foreach (var host in gone) _hosts.Remove(host);
            if (_startFailures.OnExit(registered: gone.Count > 0, exited.Pid, exited.ExitCode, exited.LastErrorLines) is { } cannotStart)
                FailEveryCall(cannotStart);
            // A worker that retired or was recycled (exit code 75) said so before it exited and handed back what it held;
            // its exit can overtake those messages, but it is no loss. Any other exit (killed, crashed, or a task that
            // called Environment.Exit) counts against the chunks it held, so that a task that kills its worker is found.
            var retired = exited.ExitCode == WorkerExitCode.Recycle;
            Lose(_slots.RemoveProcess(exited.Pid, LocalHost), $"worker process {exited.Pid} exited", countLoss: !retired);
        });
        Receive<Interrupt>(interrupt =>
        {
            if (_interrupt is not null) return;
            (_interrupt, _interruptedBy) = (interrupt, Sender);
            // The workers drop their queued chunks and hand them back, and cancel the running task's token; what
            // finishes in time still comes back and counts.
            foreach (var jobId in _jobs.Keys)
            foreach (var holder in _inFlight.HoldersOf(jobId))
                holder.Actor.Tell(new CancelJob(jobId));
            Timers.StartSingleTimer("interrupt-grace", Hurry.Instance, interrupt.Grace);
            FinishInterruptIfIdle();
        });
        Receive<Hurry>(_ => FinishInterrupt());
        Receive<StopAll>(stop =>
        {
            foreach (var job in _jobs.Values) job.Fail(stop.Reason);
            foreach (var host in _hosts.Keys) host.Tell(StopWorker.Instance);
            _jobs.Clear();
            Sender.Tell(Done.Instance);
        });
    }

    protected override void PreStart()
    {
        // Reachability comes from the cluster's failure detector; a plain actor system (unit tests) has none.
        if (Context.System is ExtendedActorSystem { Provider: IClusterActorRefProvider })
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.IReachabilityEvent));
    }

    /// <summary>However the actor system stops (Terminate, SIGTERM, a downing), no caller is left waiting.</summary>
    protected override void PostStop()
    {
        foreach (var job in _jobs.Values) job.Fail(new PoolTerminatedException("the pool stopped before this call finished"));
        _jobs.Clear();
    }

    private static string LocalHost => Environment.MachineName;

    private void Register(RegisterSlots register)
    {
        if (BuildCheck.Mismatch(register) is { } mismatch)
        {
            _log.Error("worker on host {0} (pid {1}) gets no work: {2}", register.Host, register.Pid, mismatch);
            Sender.Tell(StopWorker.Instance);
            return;
        }
        if (!_hosts.ContainsKey(Sender))
        {
            _hosts[Sender] = (register.Pid, register.Embedded);
            _startFailures.OnRegistered();
            _settings.Status.StartFailure = null;
            // A local worker's exit is seen as its process's (WorkerProcessExited); a host elsewhere is watched.
            if (!register.Embedded) Context.Watch(Sender);
            foreach (var actor in register.Slots)
            {
                _slots.Add(actor, register.Host, register.Pid);
                if (!register.Embedded) Context.Watch(actor);
            }
            _settings.Status.SetSlots(_slots.Count);
            if (register.Embedded) _settings.Status.OnLocalWorkerRegistered(register.Pid);
        }
        Sender.Tell(_settings.Welcome);
    }

    private void OnResult(ChunkResult part)
    {
        if (_log.IsDebugEnabled) _log.Debug("result job {0} chunk {1} +{2} complete={3} from {4}", part.JobId, part.ChunkId, part.Count, part.Complete, Sender.Path);
        if (_slots.Find(Sender) is not { } slot) return; // from a slot already given up for lost: its chunks run elsewhere
        _planner.Heard(slot);
        if (_inFlight.Accept(part, slot, out var skip) is not { } entry) return;
        var key = new ChunkKey(part.JobId, part.ChunkId);
        var chunk = entry.Chunk;

        if (_jobs.TryGetValue(part.JobId, out var job) && !job.Finished)
        {
            if (part.Count > skip)
            {
                var first = chunk.FirstIndex + part.Offset + skip;
                try
                {
                    var values = PayloadSerializer.Deserialize<Array>(part.Payload!, $"the results of {chunk.Function.DisplayName}");
                    job.OnValues(first, values, skip, part.Count - skip);
                    _hostTally.ItemsDone(slot, part.Count - skip);
                    job.Checkpoint?.Store(first, values, skip, part.Count - skip);
                }
                catch (PayloadSerializationException e)
                {
                    if (e.TypeRefused) _log.Warning("refused the results of job {0} sent by {1}: {2}", part.JobId, Sender.Path, e.Message);
                    // Every item of the part fails, so a list call that waits for every item still ends.
                    for (var index = first; index < first + part.Count - skip && !job.Finished; index++) job.OnTaskError(index, e);
                }
            }
            // An error for an item a run before this one already delivered is stale (a re-run of a re-queued chunk).
            if (part.Error is { } error && part.Offset + part.Count >= entry.Delivered && !job.Finished)
                _recovery.OnItemError(job, chunk, part.Offset + part.Count, error);
        }
        entry.Delivered = Math.Max(entry.Delivered, part.Offset + part.Count);

        if (part.Complete)
        {
            _inFlight.Complete(key);
            _settings.Timings.Record(chunk.Function, part.Offset + part.Count + (part.Error is null ? 0 : 1), part.Seconds);
            PoolMetrics.RecordChunk(part.Offset + part.Count + (part.Error is null ? 0 : 1), part.Seconds);
        }
        if (job is { Finished: true }) Forget(job.Id);
        DispatchSoon();
        FinishInterruptIfIdle();
    }

    /// <summary>Interrupted, and no worker holds a chunk any more: no result can still come; end now.</summary>
    private void FinishInterruptIfIdle()
    {
        if (_interrupt is not null && _inFlight.Held == 0) FinishInterrupt();
    }

    private void FinishInterrupt()
    {
        if (_interrupt is null || _interruptedBy.IsNobody()) return;
        _interrupt.BeforeFailing?.Invoke();
        foreach (var job in _jobs.Values) job.Fail(_interrupt.Reason(job.Received));
        _jobs.Clear();
        foreach (var host in _hosts.Keys) host.Tell(StopWorker.Instance);
        _interruptedBy.Tell(Done.Instance);
        _interruptedBy = ActorRefs.Nobody;
    }

    /// <summary>Slots are gone: their chunks run again elsewhere (<see cref="ChunkRecovery.Lose"/>).</summary>
    private void Lose(List<Slot> slots, string why, bool countLoss = true)
    {
        if (slots.Count == 0) return;
        if (countLoss)
            foreach (var process in slots.Where(s => s.Held.Count > 0).GroupBy(s => (s.Actor.Path.Address, s.Pid)))
                _hostTally.WorkerLost(process.First());
        foreach (var slot in slots)
        {
            _ready.Remove(slot);
            _planner.Heard(slot);
        }
        foreach (var job in _recovery.Lose(slots, id => _jobs.GetValueOrDefault(id), why, countLoss)) Forget(job.Id);
        _settings.Status.SetSlots(_slots.Count);
        DispatchSoon();
    }

    /// <summary>The local workers cannot start: every call fails with why, and so does every new one until a worker registers.</summary>
    private void FailEveryCall(WorkerStartException cannotStart)
    {
        _settings.Status.StartFailure = cannotStart;
        foreach (var job in _jobs.Values.ToList())
        {
            job.Fail(cannotStart);
            Forget(job.Id);
        }
    }

    /// <summary>The call is over: forget it, and tell the slots still holding its chunks to drop them and cancel its running task.</summary>
    private void Forget(long jobId)
    {
        _jobs.Remove(jobId);
        foreach (var holder in _inFlight.HoldersOf(jobId)) holder.Actor.Tell(new CancelJob(jobId));
        _inFlight.ForgetJob(jobId);
    }

    private bool _dispatchPending;

    /// <summary>
    /// Dispatches after the messages already in the mailbox: a burst of calls (20,000 ApplyAsync) or results is then
    /// handed out in a few batches, not one message per chunk. Costs one local message of latency.
    /// </summary>
    private void DispatchSoon()
    {
        if (_dispatchPending) return;
        _dispatchPending = true;
        Self.Tell(DispatchNow.Instance);
    }

    /// <summary>Hands queued chunks to ready slots (<see cref="BatchPlanner"/>), several per message for short tasks.</summary>
    private void Dispatch()
    {
        if (_interrupt is not null) return; // interrupted: nothing new starts
        foreach (var (slot, batch) in _planner.Plan(_ready, TakeNext))
        {
            if (_log.IsDebugEnabled) _log.Debug("dispatch {0} chunks to {1} (holds {2})", batch.Length, slot.Actor.Path, slot.Held.Count);
            slot.Actor.Tell(new WorkBatch(batch));
        }
        foreach (var holder in _planner.ToReclaim(_ready)) holder.Actor.Tell(ReclaimQueued.Instance);
    }

    private bool TakeNext(out Chunk chunk) => _queue.TryTake(
        id => _jobs.GetValueOrDefault(id),
        (job, fed) =>
        {
            if (fed is InputEnded ended) job.OnInputEnd(ended.Total, ended.Error);
            else if (fed is ItemRestored restored) job.OnRestored(restored);
            if (job.Finished) Forget(job.Id);
        },
        job =>
        {
            var self = Self; // the callback runs on another thread, where the actor's Context (and so Self) is not available
            job.Feeder.NotifyWhenReady(() => self.Tell(new InputReady(job.Id)));
        },
        out chunk);
}
