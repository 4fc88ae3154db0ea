using Akka.Actor;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Worker;

/// <summary>
/// One slot of a worker host: pulls chunks from the coordinator and runs them one at a time on its own thread.
/// States: waiting for the coordinator's welcome, then pulling, then (when the host retires) handing back and stopping.
/// </summary>
internal sealed class WorkerSlot : ReceiveActor
{
    /// <summary>Host → slot: the coordinator accepted us; start pulling.</summary>
    public sealed record StartPulling(IActorRef Coordinator, ProcessInitializer Initializer, TaskBudget Tasks,
        TimeSpan StuckTaskGrace,
        TimeSpan SendResultsEvery, ResultHandOver HandOver);

    /// <summary>Runner → slot → host: a task ignores its timeout; only recycling the process stops it.</summary>
    public sealed record Stuck(string Reason);

    /// <summary>Host → slot: hand back what is queued, finish the running chunk, then report
    /// <see cref="SlotRetired"/>.</summary>
    public sealed record Retire;

    /// <summary>Runner → slot: a chunk is done (its results were sent).</summary>
    public sealed record ChunkFinished(long ChunkId);

    /// <summary>
    /// Runner → slot: a chunk was handed back unrun: its call is over, or (<paramref name="BudgetSpent"/>) this process
    /// has run its share of tasks, which the slot passes on to the host so that the process retires now.
    /// </summary>
    public sealed record ChunkReturned(bool BudgetSpent = false);

    /// <summary>Host → slot: the coordinator registered this host again: ask for work again.</summary>
    public sealed record AskAgain
    {
        public static readonly AskAgain Instance = new();
    }

    /// <summary>Slot → host: this slot holds no work any more.</summary>
    public sealed record SlotRetired;

    private readonly FrameBudget _budget;
    private ChunkRunner? _runner;
    private IActorRef _coordinator = ActorRefs.Nobody;
    private int _holding;
    private readonly HashSet<string> _strangers = [];

    public static Props Props(FrameBudget budget) => Akka.Actor.Props.Create(() => new WorkerSlot(budget));

    public WorkerSlot(FrameBudget budget)
    {
        _budget = budget;
        Receive<StartPulling>(start =>
        {
            _coordinator = start.Coordinator;
            _runner = new ChunkRunner(Self, _coordinator, start.Initializer, start.Tasks, _budget, start.StuckTaskGrace,
                start.SendResultsEvery, start.HandOver, $"slot-{Self.Path.Name}");
            Become(Pulling);
            _coordinator.Tell(new RequestWork(1));
        });
    }

    private void Pulling()
    {
        Receive<WorkBatch>(batch =>
        {
            if (!FromCoordinator()) return;
            foreach (var chunk in batch.Chunks) _runner!.Enqueue(chunk);
            _holding += batch.Chunks.Length;
        });
        Receive<ChunkFinished>(finished =>
        {
            _holding--;
            Context.Parent.Tell(finished);
        });
        Receive<ChunkReturned>(returned =>
        {
            _holding--;
            if (returned.BudgetSpent) Context.Parent.Tell(returned);
        });
        Receive<AskAgain>(_ => _coordinator.Tell(new RequestWork(1)));
        Receive<ReclaimQueued>(_ =>
        {
            if (FromCoordinator()) HandBackQueued();
        });
        Receive<Retire>(_ =>
        {
            Become(Retiring);
            HandBackQueued();
            ReportIfEmpty();
        });
        InEveryState();
    }

    private void Retiring()
    {
        Receive<WorkBatch>(batch =>
        {
            if (FromCoordinator()) _coordinator.Tell(new HandBack(batch.Chunks));
        });
        Receive<ChunkFinished>(_ =>
        {
            _holding--;
            ReportIfEmpty();
        });
        Receive<ChunkReturned>(_ =>
        {
            _holding--;
            ReportIfEmpty();
        });
        Receive<Retire>(_ => { });
        Receive<AskAgain>(_ => { });
        Receive<ReclaimQueued>(_ => { }); // all was handed back when it began to retire
        InEveryState();
    }

    /// <summary>Pulling or retiring: a call's end still reaches the running task, and a stuck task still recycles the
    /// process.</summary>
    private void InEveryState()
    {
        Receive<DropCall>(cancel => _runner!.DropCall(cancel.CallId, cancel.Interrupting));
        Receive<DropChunk>(drop => _runner!.DropChunk(drop.CallId, drop.ChunkId));
        Receive<Stuck>(stuck => Context.Parent.Tell(stuck));
    }

    /// <summary>Work comes only from this slot's pool: work from any other sender is dropped, and said once per
    /// sender.</summary>
    private bool FromCoordinator()
    {
        if (Sender.Equals(_coordinator)) return true;
        if (_strangers.Add(Sender.Path.Address.ToString()))
            ProcessConsole.Error.WriteLine(
                $"clusterpool worker: ignored work sent by {Sender.Path}, which is not this worker's pool " +
                $"({_coordinator.Path.Address})");
        return false;
    }

    private void HandBackQueued()
    {
        var queued = _runner!.DrainQueued();
        _holding -= queued.Length;
        if (queued.Length > 0) _coordinator.Tell(new HandBack(queued));
    }

    private void ReportIfEmpty()
    {
        if (_holding == 0) Context.Parent.Tell(new SlotRetired());
    }

    protected override void PostStop() => _runner?.Dispose();
}
