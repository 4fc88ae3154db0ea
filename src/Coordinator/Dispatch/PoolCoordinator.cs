using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Remote;
using ClusterPool.Contracts.Launch;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Diagnostics;
using ClusterPool.Output;
using ClusterPool.Workers;

namespace ClusterPool.Dispatch;

/// <summary>
/// The pool's coordinator actor. It only moves messages between the network and its bookkeeping:
/// <code>
///  caller's items ─► InputFeeder ─► WorkQueue ─► InFlightTable ─► WorkerSlot (another process)
///                                      ▲  lost / handed back │  ▲           │ ChunkResult
///                                      └─────────────────────┘  │           ▼
///                                            StragglerWatch ────┘  ResultIntake ─► Call (ordering, once-only)
///                                         (backup copies at the tail)                 ─► AsyncResult / IMapIterator
/// </code>
/// Slots pull: a slot's first <see cref="RequestWork"/> makes it eligible, and each completed chunk frees room for
/// more. Three states: <see cref="Running"/>; <see cref="Interrupting"/> after Ctrl+C (nothing new starts, what runs
/// may finish within the grace period); <see cref="Interrupted"/> once every call has failed with the interrupt.
/// </summary>
internal sealed partial class PoolCoordinator : ReceiveActor, IWithTimers
{
    /// <summary>What the coordinator is configured with.</summary>
    /// <remarks><c>ExitReadTimeout</c>: how long a local worker's exit waits for what the process sent before it to
    /// be read (<see cref="ExitsInFlight"/>). <c>HandOver</c>: big payloads to the pool's own worker processes through
    /// memory (none when null); the coordinator removes its files when it stops.</remarks>
    public sealed record Settings(
        FrameBudget Budget, TaskTimings Timings, int MaxRetries, Welcome Welcome, PoolStatus Status,
        TimeSpan ExitReadTimeout, TaskOutputSink? TaskOutput = null, SpeculationSettings? Speculation = null,
        PayloadHandOver? HandOver = null);

    private const string StragglerTimer = "stragglers";

    private readonly Settings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CallTable _calls = new();
    private readonly WorkQueue _queue;
    private readonly InFlightTable _inFlight = new();
    private readonly SlotTable _slots = new();
    private readonly HashSet<Slot> _ready = [];
    private readonly Dictionary<IActorRef, (int Pid, bool Embedded)> _hosts = [];
    private readonly StartFailures _startFailures = new();
    private readonly ExitsInFlight _exits;
    private readonly HostTally _hostTally = new();
    private readonly ChunkRecovery _recovery;
    private readonly ResultIntake _intake;
    private readonly BatchPlanner _planner;
    private readonly StragglerWatch _stragglers;
    private readonly SpeculationSettings _speculation;
    private readonly PayloadHandOver _handOver;
    private bool _dispatchPending;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Settings settings) => Akka.Actor.Props.Create(() => new PoolCoordinator(settings));

    public PoolCoordinator(Settings settings)
    {
        _settings = settings;
        _exits = new ExitsInFlight(settings.ExitReadTimeout);
        _queue = new WorkQueue(_calls);
        _recovery = new ChunkRecovery(_queue, _inFlight, _calls, settings.MaxRetries, settings.Status);
        _speculation = settings.Speculation ?? SpeculationSettings.Default;
        _stragglers = new StragglerWatch(_speculation);
        _intake = new ResultIntake(_calls, _inFlight, _recovery, _hostTally, settings.Timings, _stragglers,
            settings.Status, _log);
        _planner = new BatchPlanner(_queue, _inFlight, _slots, settings.Timings, settings.Budget);
        _handOver = settings.HandOver ?? new PayloadHandOver("", above: 0);
        Running();
    }

    // ---- States ----

    /// <summary>Calls come in, work goes out.</summary>
    private void Running()
    {
        Receive<SubmitCall>(OnSubmit);
        Receive<DispatchNow>(_ => Dispatch());
        Receive<LookForStragglers>(_ => Speculate());
        Receive<Interrupt>(OnInterrupt);
        Receive<Hurry>(_ => { }); // a second Ctrl+C that overtook the first's Interrupt: that one decides
        InEveryState(afterEach: () => { });
    }

    /// <summary>
    /// Ctrl+C: nothing new starts; the running tasks' tokens are cancelled, and what finishes within the grace period
    /// still counts. Ends when no slot holds a chunk any more, or at <see cref="Hurry"/>.
    /// </summary>
    private void Interrupting(Interrupt interrupt, IActorRef requester)
    {
        Receive<SubmitCall>(submit => submit.Call.Fail(interrupt.Reason(0)));
        Receive<DispatchNow>(_ => _dispatchPending = false);
        Receive<Hurry>(_ => FinishInterrupt(interrupt, requester));
        Receive<LookForStragglers>(_ => Timers.Cancel(StragglerTimer)); // nothing new starts
        Receive<Interrupt>(_ => { });
        InEveryState(afterEach: () =>
        {
            if (_inFlight.Held == 0) FinishInterrupt(interrupt, requester); // no result can still come
        });
    }

    /// <summary>Every call failed with the interrupt; a late call fails the same way at once.</summary>
    private void Interrupted(Interrupt interrupt)
    {
        Receive<SubmitCall>(submit => submit.Call.Fail(interrupt.Reason(0)));
        Receive<DispatchNow>(_ => _dispatchPending = false);
        Receive<Hurry>(_ => { });
        Receive<LookForStragglers>(_ => Timers.Cancel(StragglerTimer));
        Receive<Interrupt>(_ => { });
        InEveryState(afterEach: () => { });
    }

    /// <summary>What the coordinator does in every state; <paramref name="afterEach"/> runs after each of these
    /// messages.</summary>
    private void InEveryState(Action afterEach)
    {
        void On<T>(Action<T> handle) => Receive<T>(message =>
        {
            handle(message);
            afterEach();
        });

        On<InputReady>(_ => DispatchSoon());
        On<CancelCall>(OnCancel);
        On<RegisterSlots>(OnRegister);
        On<TaskOutput>(output => _settings.TaskOutput?.Post(output));
        On<GetStatistics>(OnGetStatistics);
        On<RequestWork>(OnRequestWork);
        On<ChunkResult>(OnResult);
        On<ChunkResults>(batch => { foreach (var part in batch.Parts) OnResult(part); });
        On<HandBack>(OnHandBack);
        On<Retiring>(OnRetiring);
        On<Recycling>(OnRecycling);
        On<HostCannotRun>(OnHostCannotRun);
        On<ClusterEvent.UnreachableMember>(OnUnreachable);
        On<ClusterEvent.ReachableMember>(OnReachable);
        On<Terminated>(OnTerminated);
        On<WorkerProcessExited>(OnWorkerProcessExited);
        On<DisassociatedEvent>(OnDisassociated);
        On<ExitDeadline>(deadline => { if (_exits.Expired(deadline.Pid) is { } exit) GiveUpExited(exit); });
        On<StopAll>(OnStopAll);
        // A shared value was freed: each worker host lets its process's copy go.
        On<ForgetShared>(forget => { foreach (var host in _hosts.Keys) host.Tell(forget); });
    }

    // ---- From the pool ----

    private void OnSubmit(SubmitCall submit)
    {
        if (_log.IsDebugEnabled) _log.Debug("submit call {0}", submit.Call.Id);
        if (_settings.Status.StartFailure is { } cannotStart)
        {
            submit.Call.Fail(cannotStart);
            return;
        }
        _calls.Add(submit.Call);
        _queue.AddCall(submit.Call);
        if (submit.Call.Settings.Speculative && !Timers.IsTimerActive(StragglerTimer))
            Timers.StartPeriodicTimer(StragglerTimer, LookForStragglers.Instance, _speculation.CheckEvery);
        DispatchSoon();
    }

    private void OnCancel(CancelCall cancel)
    {
        _calls.Find(cancel.CallId)?.Fail(cancel.Reason);
        Forget(cancel.CallId);
    }

    private void OnGetStatistics(GetStatistics _) => Sender.Tell(_settings.Status.Snapshot() with
    {
        BusySlots = _slots.All.Count(s => s.Held.Count > 0),
        QueuedItems = _queue.QueuedItems,
        RunningCalls = _calls.Count,
        Hosts = _hostTally.Snapshot(_slots.Reachable), // as Pool.Slots counts them
    });

    private void OnInterrupt(Interrupt interrupt)
    {
        Timers.Cancel(StragglerTimer);
        // The workers drop their queued chunks and hand them back, and cancel the running task's token; what
        // finishes in time still comes back and counts, also from a task that ignores its token.
        foreach (var callId in _calls.Ids)
        foreach (var holder in _inFlight.HoldersOf(callId))
            holder.Actor.Tell(new DropCall(callId, Interrupting: true));
        Timers.StartSingleTimer("interrupt-grace", Hurry.Instance, interrupt.Grace);
        var requester = Sender;
        Become(() => Interrupting(interrupt, requester));
        if (_inFlight.Held == 0) FinishInterrupt(interrupt, requester);
    }

    private void FinishInterrupt(Interrupt interrupt, IActorRef requester)
    {
        // The hosts first, before the callers learn of the interrupt: a program may end as soon as its call fails,
        // and a host not told by then sees its pool vanish (exit 69, not 0).
        StopWorkerHosts();
        interrupt.BeforeFailing?.Invoke();
        _calls.FailAll(call => interrupt.Reason(call.Received));
        requester.Tell(Done.Instance);
        Become(() => Interrupted(interrupt));
    }

    private void OnStopAll(StopAll stop)
    {
        _calls.FailAll(_ => stop.Reason);
        StopWorkerHosts();
        Sender.Tell(Done.Instance);
    }

    // ---- From the workers ----

    private void OnRegister(RegisterSlots register)
    {
        if (BuildCheck.Mismatch(register) is { } mismatch)
        {
            _log.Error("worker on host {0} (pid {1}) gets no work: {2}", register.Host, register.Pid, mismatch);
            Sender.Tell(new StopWorker(mismatch));
            return;
        }
        if (register.Embedded && _exits.IsGone(register.Pid))
        {
            // Its exit overtook this registration: slots added now would never be given up.
            _log.Info("worker process {0} registered after it exited: ignored", register.Pid);
            _startFailures.OnRegistered(); // it got as far as registering: not a start failure
            return;
        }
        if (!_hosts.ContainsKey(Sender)) AddHost(register);
        _exits.Registered(Sender.Path.Address);
        // big results come back through memory from the workers this pool started on its machine
        var handOver = register.Embedded ? _handOver.MadeFolder() : null;
        Sender.Tell(handOver is null ? _settings.Welcome
            : _settings.Welcome with { HandOverFolder = handOver, HandOverAbove = _handOver.Above });
    }

    private void AddHost(RegisterSlots register)
    {
        _hosts[Sender] = (register.Pid, register.Embedded);
        _startFailures.OnRegistered();
        _settings.Status.StartFailure = null;
        // A local worker's exit is seen as its process's (WorkerProcessExited); a host elsewhere is watched.
        if (!register.Embedded) Context.Watch(Sender);
        foreach (var actor in register.Slots)
        {
            _slots.Add(actor, register.Host, register.Pid, register.Embedded);
            if (!register.Embedded) Context.Watch(actor);
        }
        CountSlots();
        if (register.Embedded) _settings.Status.OnLocalWorkerRegistered(register.Pid);
    }

    private void OnRequestWork(RequestWork _)
    {
        if (_log.IsDebugEnabled) _log.Debug("request from {0}, known={1}", Sender.Path,
            _slots.Find(Sender) is not null);
        if (_slots.Find(Sender) is not { } slot) return;
        _ready.Add(slot);
        DispatchSoon();
    }

    private void OnResult(ChunkResult part)
    {
        if (_log.IsDebugEnabled)
            _log.Debug("result call {0} chunk {1} +{2} complete={3} from {4}", part.CallId, part.ChunkId, part.Count,
                part.Complete, Sender.Path);
        // A payload handed over through memory is read, and its file removed, whatever becomes of the result (a slot
        // given up for lost still sends). Only the pool's own workers were told where: from any other, it is crafted.
        if (part.PayloadFile is { } file)
        {
            var from = _slots.Find(Sender);
            if (from is { Embedded: false }) return;
            try { part = part with { Payload = _handOver.TakeResult(file), PayloadFile = null }; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (from is not null) ResultUnreadable(from, e.Message);
                return;
            }
        }
        // from a slot already given up for lost: its chunks run elsewhere
        if (_slots.Find(Sender) is not { } slot) return;
        _planner.Heard(slot);
        var (finished, loser) = _intake.Take(part, slot);
        // the other copy of a chunk a backup raced: it stops at its next item
        loser?.Actor.Tell(new DropChunk(part.CallId, part.ChunkId));
        if (finished is not null) Forget(finished.Id);
        DispatchSoon();
    }

    private void OnHandBack(HandBack handBack)
    {
        if (_slots.Find(Sender) is { } from)
        {
            _planner.Heard(from);
            // Back to the front in their order (PushFront of each in reverse): the first handed back runs first. A
            // payload handed over through memory comes back as the pool's own copy: it may go elsewhere next.
            foreach (var chunk in Enumerable.Reverse(handBack.Chunks))
            {
                if (_inFlight.Release(ChunkKey.Of(chunk), from) is not { } entry) continue;
                // Only a chunk still in flight says the hand-over failed: the file of one that finished elsewhere, or
                // whose call ended, was removed on purpose before its worker heard.
                if (handBack.HandOverFailure is { } why) TurnOffHandOver(why);
                _queue.PushFront(chunk.PayloadFile is null
                    ? chunk
                    : chunk with { Payload = entry.Chunk.Payload, PayloadFile = null });
            }
        }
        DispatchSoon();
    }

    private void OnRetiring(Retiring retiring)
    {
        foreach (var slot in _slots.At(Sender.Path.Address, retiring.Pid)) slot.Retiring = true;
    }

    private void OnRecycling(Recycling recycling)
    {
        // Sent by the slot whose task would not stop, right after that task's timeout result: what the process
        // holds besides runs again elsewhere at once, and counts no loss (it was not those chunks' fault).
        var slots = _slots.At(Sender.Path.Address, recycling.Pid);
        foreach (var slot in slots) slot.Retiring = true;
        Lose(slots, recycling.Reason, countLoss: false);
    }

    private void OnHostCannotRun(HostCannotRun cannot)
    {
        // A host started without the application, or with another build of it, fails every task it gets: rather than
        // fail the call, its work runs elsewhere (no loss counted: not the chunks' fault), and it is stopped, saying
        // why.
        // Its other slots may say the same meanwhile: the first one decides.
        if (_slots.Find(Sender) is not { } from) return;
        var address = Sender.Path.Address;
        _log.Error("worker host {0} (pid {1}) cannot run this pool's functions and gets no more work: {2}", from.Host,
            cannot.Pid, cannot.Reason);
        foreach (var host in HostsOf(address, cannot.Pid))
        {
            _hosts.Remove(host);
            Context.Unwatch(host);
            host.Tell(new StopWorker(cannot.Reason));
        }
        var slots = _slots.RemoveAt(address, cannot.Pid);
        foreach (var slot in slots) Context.Unwatch(slot.Actor);
        Lose(slots, $"worker host {from.Host} cannot run this pool's functions", countLoss: false);
    }

    // ---- Lost and found ----

    private void OnUnreachable(ClusterEvent.UnreachableMember unreachable)
    {
        // Do not wait for the split-brain resolver to down the host (seconds more): its chunks run elsewhere now.
        // If it comes back, its late results are dropped (it no longer holds those chunks) and it gets new work.
        var address = unreachable.Member.Address;
        var slots = _slots.At(address);
        foreach (var slot in slots) slot.Unreachable = true;
        if (slots.Count > 0) _settings.Status.HostUnreachable();
        // Not counted against the chunks: a network blip or a long pause is not their fault (a crash is a process
        // exit).
        Lose(slots, $"host {address.Host}:{address.Port} became unreachable", countLoss: false);
    }

    private void OnReachable(ClusterEvent.ReachableMember reachable)
    {
        foreach (var slot in _slots.At(reachable.Member.Address))
        {
            slot.Unreachable = false;
            _ready.Add(slot); // it asked for work once, long ago: it gets work again without asking
        }
        CountSlots();
        DispatchSoon();
    }

    private void OnTerminated(Terminated terminated)
    {
        if (_slots.Remove(terminated.ActorRef) is { } slot) Lose([slot], "its worker stopped");
        if (!_hosts.Remove(terminated.ActorRef, out var host)) return;
        Lose(_slots.RemoveAt(terminated.ActorRef.Path.Address, host.Pid), "its worker host stopped");
        // "Terminated" for a whole address also reaches a host restarted there, alive: it registers again.
        if (terminated.AddressTerminated) terminated.ActorRef.Tell(Reregister.Instance);
    }

    private void OnWorkerProcessExited(WorkerProcessExited exited)
    {
        var gone = _hosts.Where(h => h.Value == (exited.Pid, true)).Select(h => h.Key).ToList();
        foreach (var host in gone) _hosts.Remove(host);
        var cannotStart = _startFailures.OnExit(registered: gone.Count > 0, exited.Pid, exited.ExitCode,
            exited.LastErrorLines);
        if (cannotStart is not null) FailEveryCall(cannotStart);
        // Its slots get no more work now; they are given up once what the process sent before its exit has been read.
        var slots = _slots.OfProcess(exited.Pid, LocalHost);
        foreach (var slot in slots) slot.Exited = true;
        CountSlots();
        if (slots.Count == 0 && gone.Count == 0) _exits.ExitedUnregistered(exited.Pid);
        if (slots.FirstOrDefault()?.Actor.Path.Address is { Port: not null } address
            && _exits.MustWait(address, exited))
            Timers.StartSingleTimer(new ExitDeadline(exited.Pid), new ExitDeadline(exited.Pid),
                _settings.ExitReadTimeout);
        else GiveUpExited(exited);
    }

    /// <summary>The connection from a worker process closed: Akka.Remote has read every message it sent.</summary>
    private void OnDisassociated(DisassociatedEvent closed)
    {
        var address = closed.RemoteAddress;
        var local = _hosts.Any(host => host.Value.Embedded && host.Key.Path.Address == address);
        foreach (var exited in _exits.Closed(address, local))
        {
            Timers.Cancel(new ExitDeadline(exited.Pid));
            GiveUpExited(exited);
        }
    }

    /// <summary>An exited process's slots are given up: what they held runs elsewhere.</summary>
    private void GiveUpExited(WorkerProcessExited exited)
    {
        // A worker that retired or was recycled (exit code 75) handed back what it held before it exited: no loss. Any
        // other exit (killed, crashed, or a task that called Environment.Exit) counts against the chunks it held, so
        // that a task that kills its worker is found.
        var retired = exited.ExitCode == WorkerExitCode.Recycle;
        var why = WorkerExitDescription.Of(exited.Pid, exited.ExitCode, exited.LastErrorLines);
        var slots = _slots.RemoveProcess(exited.Pid, LocalHost);
        _handOver.RemoveResultsOf(exited.Pid); // everything it sent has been read: a file left was never sent
        // Said once, as it happens: a worker killed (kill -9, the out-of-memory killer) was replaced without a word.
        // Not when the pool itself stopped it (Terminate, Dispose, a second Ctrl+C kill what is left).
        if (!retired && !exited.StoppedByPool && exited.ExitCode != 0 && slots.Count > 0)
            _log.Warning("{0}; what it held runs again, and a new worker starts", why);
        Lose(slots, why, countLoss: !retired);
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(DisassociatedEvent));
        // Reachability comes from the cluster's failure detector; a plain actor system (unit tests) has none.
        if (Context.System is ExtendedActorSystem { Provider: IClusterActorRefProvider })
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.IReachabilityEvent));
    }

    /// <summary>However the actor system stops (Terminate, SIGTERM, a downing), no caller is left waiting.</summary>
    protected override void PostStop()
    {
        _calls.FailAll(_ => new PoolTerminatedException("the pool stopped before this call finished"));
        _handOver.Dispose();
    }

    // ---- Bookkeeping ----

    private static string LocalHost => Environment.MachineName;

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
        foreach (var call in _recovery.Lose(slots, why, countLoss)) Forget(call.Id);
        CountSlots();
        DispatchSoon();
    }

    /// <summary>
    /// The slots that can take work now, for <c>Pool.Slots</c> and <c>WaitUntilReady</c>: a host called unreachable is
    /// not counted while it is (until it is downed, its slots stay in the table).
    /// </summary>
    private void CountSlots() => _settings.Status.SetSlots(_slots.Reachable.Count());

    /// <summary>The local workers cannot start: every call fails with why, and so does every new one until a worker
    /// registers.</summary>
    private void FailEveryCall(WorkerStartException cannotStart)
    {
        _settings.Status.StartFailure = cannotStart;
        foreach (var callId in _calls.Ids.ToList())
        {
            _calls.Find(callId)?.Fail(cannotStart);
            Forget(callId);
        }
    }

    /// <summary>The call is over: forget it, and tell the slots still holding its chunks to drop them and cancel its
    /// running task.</summary>
    private void Forget(long callId)
    {
        _calls.Remove(callId);
        foreach (var holder in _inFlight.HoldersOf(callId)) holder.Actor.Tell(new DropCall(callId));
        _inFlight.ForgetCall(callId);
        _stragglers.ForgetCall(callId);
        SweepHandOver();
    }

    /// <summary>
    /// While a call asks for backup copies: when nothing is queued and slots are idle, the chunks that straggle get a
    /// second copy on an idle slot (<see cref="StragglerWatch"/>); the first copy to finish wins
    /// (<see cref="ResultIntake"/>), and the other is told to stop.
    /// </summary>
    private void Speculate()
    {
        if (_calls.Speculative == 0)
        {
            Timers.Cancel(StragglerTimer);
            return;
        }
        if (_queue.QueuedItems > 0) return;
        var suspects = _inFlight.ProcessesHoldingSuspects();
        var idle = _slots.Taking.Where(s => s.Held.Count == 0 && _ready.Contains(s)
            && !suspects.Contains(s.Process)).ToList();
        if (idle.Count == 0) return;
        var backups = _stragglers.Plan(_inFlight.Running(), idle,
            callId => _calls.Unfinished(callId)?.Settings.Speculative == true, Stopwatch.GetTimestamp());
        foreach (var (entry, slot) in backups)
        {
            var chunk = _inFlight.AddBackup(entry, slot);
            _settings.Status.BackupStarted();
            if (_log.IsDebugEnabled) _log.Debug("backup copy of call {0} chunk {1} from item {2} on {3}",
                chunk.CallId, chunk.ChunkId, chunk.StartAt, slot.Actor.Path);
            Send(slot, [chunk]);
        }
    }

    private void StopWorkerHosts()
    {
        foreach (var host in _hosts.Keys) host.Tell(StopWorker.Instance);
    }

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

    /// <summary>
    /// Hands queued chunks to ready slots (<see cref="BatchPlanner"/>), several per message for short tasks; then
    /// forgets the calls the queue finished meanwhile, and asks the feeders that had nothing ready to say when they
    /// have.
    /// </summary>
    private void Dispatch()
    {
        _dispatchPending = false;
        foreach (var (slot, batch) in _planner.Plan(_ready))
        {
            if (_log.IsDebugEnabled) _log.Debug("dispatch {0} chunks to {1} (holds {2})", batch.Length, slot.Actor.Path,
                slot.Held.Count);
            Send(slot, batch);
        }
        foreach (var holder in _planner.ToReclaim(_ready)) holder.Actor.Tell(ReclaimQueued.Instance);
        foreach (var call in _queue.TakeFinished()) Forget(call.Id);
        SweepHandOver();
        // the feeder calls back on another thread, where the actor's Context (and so Self) is not available
        var self = Self;
        foreach (var call in _queue.TakeWaitingForInput()) call.Feeder.NotifyWhenReady(
            () => self.Tell(new InputReady(call.Id)));
    }

    /// <summary>Sends chunks to a slot, their big payloads through memory when its process runs on this machine
    /// (<see cref="PayloadHandOver"/>).</summary>
    private void Send(Slot slot, Chunk[] chunks)
    {
        if (slot.Embedded && _handOver.Off is null)
        {
            for (var i = 0; i < chunks.Length; i++) chunks[i] = _handOver.For(chunks[i], slot);
            if (_handOver.Off is { } why) WarnHandOverOff(why);
        }
        slot.Actor.Tell(new WorkBatch(chunks));
    }

    private void TurnOffHandOver(string why)
    {
        if (_handOver.Off is not null) return;
        _handOver.TurnOff(why);
        WarnHandOverOff(why);
    }

    /// <summary>
    /// A result handed over through memory could not be read: its worker process is stopped (the pool's spawner starts
    /// another), so what it held runs again as after any lost worker, and hand-over is off from now on.
    /// </summary>
    private void ResultUnreadable(Slot slot, string why)
    {
        why = $"a result handed over through memory could not be read: {why}";
        _log.Error("{0}", why);
        TurnOffHandOver(why);
        foreach (var host in HostsOf(slot.Actor.Path.Address, slot.Pid)) host.Tell(new StopWorker(why));
    }

    /// <summary>The host actor of the worker process at <paramref name="address"/> with id <paramref name="pid"/> (a
    /// list, to change <see cref="_hosts"/> while going through it).</summary>
    private List<IActorRef> HostsOf(Address address, int pid) =>
        [.. _hosts.Where(h => h.Key.Path.Address.Equals(address) && h.Value.Pid == pid).Select(h => h.Key)];

    private void WarnHandOverOff(string why) =>
        _log.Warning("big payloads go over the network from now on, not through memory: {0}", why);

    /// <summary>Removes the hand-over files of chunks no longer in flight that no worker read.</summary>
    private void SweepHandOver() => _handOver.Sweep(key => _inFlight.ChunkOf(key) is not null);
}
