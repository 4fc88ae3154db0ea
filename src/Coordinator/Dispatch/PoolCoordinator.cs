using Akka.Actor;
using Akka.Event;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Jobs;

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
internal sealed class PoolCoordinator : ReceiveActor
{
    /// <summary>Pool → coordinator: a new call, its feeder already reading.</summary>
    public sealed record SubmitJob(Job Job);

    /// <summary>Feeder → coordinator: a call's input has chunks ready (or ended).</summary>
    public sealed record InputReady(long JobId);

    /// <summary>Pool → coordinator: end a call now (cancelled by the caller).</summary>
    public sealed record CancelJob(long JobId, Exception Reason);

    /// <summary>Spawner → coordinator: a local worker process exited; its chunks run elsewhere at once.</summary>
    public sealed record WorkerProcessExited(int Pid);

    /// <summary>Pool → coordinator: fail every call with <paramref name="Reason"/> and tell every worker host to stop.</summary>
    public sealed record StopAll(Exception Reason);

    /// <summary>Self → self: hand out work now (see <see cref="DispatchSoon"/>).</summary>
    private sealed record DispatchNow
    {
        public static readonly DispatchNow Instance = new();
    }

    /// <summary>What the coordinator is configured with.</summary>
    public sealed record Settings(FrameBudget Budget, TaskTimings Timings, int MaxRetries, Welcome Welcome, PoolStatus Status);

    private readonly Settings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<long, Job> _jobs = [];
    private readonly WorkQueue _queue = new();
    private readonly InFlightTable _inFlight = new();
    private readonly SlotTable _slots = new();
    private readonly HashSet<Slot> _ready = [];
    private readonly Dictionary<IActorRef, int> _hosts = [];

    public static Props Props(Settings settings) => Akka.Actor.Props.Create(() => new PoolCoordinator(settings));

    public PoolCoordinator(Settings settings)
    {
        _settings = settings;
        Receive<SubmitJob>(submit =>
        {
            if (_log.IsDebugEnabled) _log.Debug("submit job {0}", submit.Job.Id);
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
        Receive<CancelJob>(cancel =>
        {
            if (_jobs.TryGetValue(cancel.JobId, out var job)) job.Fail(cancel.Reason);
            Forget(cancel.JobId);
        });
        Receive<RegisterSlots>(Register);
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
            foreach (var chunk in handBack.Chunks)
                if (_inFlight.Release(ChunkKey.Of(chunk)) is not null) _queue.PushFront(chunk);
            DispatchSoon();
        });
        Receive<Retiring>(retiring =>
        {
            foreach (var slot in _slots.All.Where(s => s.Pid == retiring.Pid && s.Actor.Path.Address.Equals(Sender.Path.Address)))
                slot.Retiring = true;
        });
        Receive<Terminated>(terminated =>
        {
            if (_slots.Remove(terminated.ActorRef) is { } slot) Lose([slot], "its worker stopped");
            if (_hosts.Remove(terminated.ActorRef, out var pid))
                Lose(_slots.RemoveProcess(pid, HostOf(terminated.ActorRef)), "its worker host stopped");
        });
        Receive<WorkerProcessExited>(exited => Lose(_slots.RemoveProcess(exited.Pid, LocalHost), $"worker process {exited.Pid} exited"));
        Receive<StopAll>(stop =>
        {
            foreach (var job in _jobs.Values) job.Fail(stop.Reason);
            foreach (var host in _hosts.Keys) host.Tell(StopWorker.Instance);
            _jobs.Clear();
            Sender.Tell(Done.Instance);
        });
    }

    /// <summary>However the actor system stops (Terminate, SIGTERM, a downing), no caller is left waiting.</summary>
    protected override void PostStop()
    {
        foreach (var job in _jobs.Values) job.Fail(new PoolTerminatedException("the pool stopped before this call finished"));
        _jobs.Clear();
    }

    private static string LocalHost => Environment.MachineName;

    private string? HostOf(IActorRef actor) => _slots.All.FirstOrDefault(s => s.Actor.Path.Address.Equals(actor.Path.Address))?.Host;

    private void Register(RegisterSlots register)
    {
        if (BuildMismatch(register) is { } mismatch)
        {
            _log.Error("worker on host {0} (pid {1}) gets no work: {2}", register.Host, register.Pid, mismatch);
            Sender.Tell(StopWorker.Instance);
            return;
        }
        if (!_hosts.ContainsKey(Sender))
        {
            _hosts[Sender] = register.Pid;
            Context.Watch(Sender);
            foreach (var actor in register.Slots)
            {
                _slots.Add(actor, register.Host, register.Pid);
                Context.Watch(actor);
            }
            _settings.Status.SetSlots(_slots.Count);
        }
        Sender.Tell(_settings.Welcome);
    }

    /// <summary>A worker that runs another build of an assembly this process also runs would compute other results: refuse it.</summary>
    private static string? BuildMismatch(RegisterSlots register)
    {
        foreach (var build in register.Build)
        {
            var mine = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == build.AssemblyName);
            if (mine is not null && mine.ManifestModule.ModuleVersionId != build.ModuleVersionId)
                return $"it runs {build}, this coordinator runs build {mine.ManifestModule.ModuleVersionId} of {build.AssemblyName}; " +
                       "copy the coordinator's build output to that machine";
        }
        return null;
    }

    private void OnResult(ChunkResult part)
    {
        if (_log.IsDebugEnabled) _log.Debug("result job {0} chunk {1} +{2} complete={3} from {4}", part.JobId, part.ChunkId, part.Count, part.Complete, Sender.Path);
        if (_slots.Find(Sender) is not { } slot) return; // from a slot already given up for lost: its chunks run elsewhere
        if (_inFlight.Accept(part, slot, out var skip) is not { } entry) return;
        var key = new ChunkKey(part.JobId, part.ChunkId);
        var chunk = entry.Chunk;

        if (_jobs.TryGetValue(part.JobId, out var job) && !job.Finished)
        {
            try
            {
                if (part.Count > skip)
                {
                    var values = PayloadSerializer.Deserialize<Array>(part.Payload!, $"the results of {chunk.Function.DisplayName}");
                    job.OnValues(chunk.FirstIndex + part.Offset + skip, values, skip, part.Count - skip);
                }
                if (part.Error is { } error) job.OnTaskError(chunk.FirstIndex + part.Offset + part.Count, RemoteErrors.Rebuild(error));
            }
            catch (PayloadSerializationException e) { job.OnTaskError(chunk.FirstIndex + part.Offset, e); }
        }
        entry.Delivered = Math.Max(entry.Delivered, part.Offset + part.Count);

        if (part.Complete)
        {
            _inFlight.Complete(key);
            _settings.Timings.Record(chunk.Function, part.Offset + part.Count + (part.Error is null ? 0 : 1), part.Seconds);
        }
        if (job is { Finished: true }) Forget(job.Id);
        DispatchSoon();
    }

    /// <summary>Slots are gone: their chunks run again elsewhere, unless a chunk has now taken down too many workers.</summary>
    private void Lose(List<Slot> slots, string why)
    {
        if (slots.Count == 0) return;
        foreach (var slot in slots)
        {
            _ready.Remove(slot);
            foreach (var entry in _inFlight.LoseSlot(slot))
            {
                if (!_jobs.TryGetValue(entry.Chunk.JobId, out var job) || job.Finished) continue;
                if (entry.Losses > _settings.MaxRetries)
                {
                    var chunk = entry.Chunk;
                    job.Fail(new WorkerLostException(
                        $"items {chunk.FirstIndex}..{chunk.FirstIndex + chunk.Count - 1} of {chunk.Function.DisplayName} were lost with " +
                        $"{entry.Losses} workers in a row (last: {why}); they probably kill their worker. " +
                        $"The limit is clusterpool.max-retries = {_settings.MaxRetries}."));
                    Forget(job.Id);
                }
                else _queue.PushFront(entry.Chunk);
            }
        }
        _settings.Status.SetSlots(_slots.Count);
        DispatchSoon();
    }

    private void Forget(long jobId)
    {
        _jobs.Remove(jobId);
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

    /// <summary>Hands queued chunks to slots with room, the least loaded first, several per message for short tasks.</summary>
    private void Dispatch()
    {
        foreach (var slot in _slots.Accepting.Where(_ready.Contains).ToList())
        {
            var batch = new List<Chunk>();
            long bytes = 0;
            while (TakeNext(out var chunk))
            {
                var room = _settings.Timings.MaxHeld(chunk.Function, chunk.Count) - slot.Held.Count;
                var size = chunk.Payload.Length + 512;
                if (room <= 0 || (batch.Count > 0 && bytes + size > _settings.Budget.MaxPayload))
                {
                    _queue.PushFront(chunk);
                    break;
                }
                _inFlight.Assign(chunk, slot);
                batch.Add(chunk);
                bytes += size;
            }
            if (batch.Count > 0)
            {
                if (_log.IsDebugEnabled) _log.Debug("dispatch {0} chunks to {1} (holds {2})", batch.Count, slot.Actor.Path, slot.Held.Count);
                slot.Actor.Tell(new WorkBatch([.. batch]));
            }
            if (_queue.FeedingJobs == 0 && batch.Count == 0) break;
        }
    }

    private bool TakeNext(out Chunk chunk) => _queue.TryTake(
        id => _jobs.GetValueOrDefault(id),
        (job, ended) =>
        {
            job.OnInputEnd(ended.Total, ended.Error);
            if (job.Finished) Forget(job.Id);
        },
        job =>
        {
            var self = Self; // the callback runs on another thread, where the actor's Context (and so Self) is not available
            job.Feeder.NotifyWhenReady(() => self.Tell(new InputReady(job.Id)));
        },
        out chunk);
}

/// <summary>A reply that says "done".</summary>
internal sealed record Done
{
    public static readonly Done Instance = new();
}
