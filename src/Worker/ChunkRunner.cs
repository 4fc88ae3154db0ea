using System.Diagnostics;
using Akka.Actor;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Contracts.Sharing;

namespace ClusterPool.Worker;

/// <summary>
/// Runs one slot's chunks, one at a time, on a dedicated thread: user code never runs on Akka's dispatcher, so a
/// CPU-bound task cannot starve the heartbeats that keep this node in the cluster. Results go straight to the
/// coordinator (<see cref="ResultSender"/>); a <see cref="StuckTaskWatchdog"/> stops a task that will not stop.
/// A chunk runs one of three ways: Map's items through a typed delegate (<see cref="RunOverArrays"/>), argument lists
/// (<see cref="RunRows"/>), or item by item with a token each when it has a timeout, takes a token or returns a task
/// (<see cref="RunEachItem"/>).
/// </summary>
internal sealed class ChunkRunner : IDisposable
{
    private readonly ChunkQueue<Chunk> _queue = new();
    private readonly IActorRef _slot;
    private readonly IActorRef _coordinator;
    private readonly ProcessInitializer _initializer;
    private readonly TaskBudget _tasks;
    private readonly ResultOutbox _outbox;
    private readonly ResultSender _sender;
    private readonly WorkerErrors _errors = WorkerErrors.OfThisProcess;
    private readonly TimeSpan _resultsEvery;
    private readonly CancelledWork _cancelled = new();
    private readonly CurrentChunk _current = new();
    private readonly StuckTaskWatchdog _watchdog;

    public ChunkRunner(IActorRef slot, IActorRef coordinator, ProcessInitializer initializer, TaskBudget tasks,
        FrameBudget budget, TimeSpan stuckGrace, TimeSpan resultsEvery, ResultHandOver handOver, string name)
    {
        (_slot, _coordinator, _initializer) = (slot, coordinator, initializer);
        (_tasks, _resultsEvery) = (tasks, resultsEvery);
        _outbox = new ResultOutbox(coordinator, slot, budget.MaxPayload, handOver);
        _sender = new ResultSender(_outbox, budget, _errors);
        _watchdog = new StuckTaskWatchdog(_current, stuckGrace, _sender, _outbox, _errors, coordinator, slot);
        new Thread(Loop) { IsBackground = true, Name = name }.Start();
    }

    /// <summary>Queues a chunk to run after those already queued.</summary>
    public void Enqueue(Chunk chunk) => _queue.Add(chunk);

    /// <summary>Takes back every chunk not yet started (the running one finishes).</summary>
    public Chunk[] DrainQueued() => _queue.TakeAll();

    /// <summary>
    /// The call is over: skip its queued chunks, and cancel the token of its running item. Unless the pool is
    /// <paramref name="interrupting"/> (its shutdown grace decides how long a task may finish), a task that ignores its
    /// token gets the stuck-task grace, then the process is recycled.
    /// </summary>
    public void DropCall(long callId, bool interrupting)
    {
        _cancelled.AddCall(callId);
        if (_current.Item is { } item && item.Chunk.CallId == callId) item.Cancel();
        if (_current.Chunk?.CallId == callId) _current.RequestYield();
        // A task that ignores its cancelled token would hold this slot for ever, and work sent here next would wait
        // behind it: past the stuck-task grace, the watchdog recycles the process, as for a task past its timeout.
        if (_current.Chunk is not { } running || running.CallId != callId || interrupting) return;
        _current.CallCancelled();
        _watchdog.Start();
    }

    /// <summary>
    /// Another copy of the chunk finished first: skip it if queued; a running one has its item's token cancelled and
    /// stops at its next item (or its next results, for Map's items). Not recycled if it goes on: see
    /// <see cref="Contracts.Messages.DropChunk"/>.
    /// </summary>
    public void DropChunk(long callId, long chunkId)
    {
        _cancelled.AddChunk(callId, chunkId);
        if (_current.Item is { } item && item.Chunk.CallId == callId && item.Chunk.ChunkId == chunkId) item.Cancel();
        if (_current.Chunk is { } running && running.CallId == callId && running.ChunkId == chunkId)
            _current.RequestYield();
    }

    public void Dispose()
    {
        _queue.Complete();
        _watchdog.Dispose();
    }

    private void Loop()
    {
        while (NextChunk() is { } chunk)
        {
            if (_cancelled.Contains(chunk))
            {
                // The call is over or interrupted, or another copy finished the chunk: not run. Handed back, so an
                // interrupted pool knows nothing is pending.
                Return(chunk, budgetSpent: false);
                continue;
            }
            if (!_tasks.TryStart())
            {
                Return(chunk, budgetSpent: true); // this process has run its MaxTasksPerChild
                continue;
            }
            _current.Begin(chunk);
            // dropped between the check above and Begin: DropChunk found no running chunk to ask to yield
            if (_cancelled.Contains(chunk)) _current.RequestYield();
            Sharing.MachineShares.Current?.TaskStarts();
            try { Run(chunk); }
            finally { Sharing.MachineShares.Current?.TaskEnded(); }
            _current.End();
            if (_current.Abandoned) return; // the watchdog gave it up and is recycling this process
            _outbox.FlushIfDue(_queue.Count == 0);
            _slot.Tell(new WorkerSlot.ChunkFinished(chunk.ChunkId));
        }
    }

    /// <summary>The next chunk, waiting for one; null once the runner is disposed.</summary>
    private Chunk? NextChunk()
    {
        if (_queue.TryTake(out var chunk)) return chunk;
        _outbox.Flush(); // nothing more queued: whatever results wait go now
        return _queue.Take();
    }

    /// <summary>Gives a chunk back to the coordinator unrun, and tells the slot it holds one chunk less.</summary>
    private void Return(Chunk chunk, bool budgetSpent)
    {
        _coordinator.Tell(new HandBack([chunk]), _slot);
        _slot.Tell(new WorkerSlot.ChunkReturned(budgetSpent));
    }

    private void Run(Chunk chunk)
    {
        var clock = Stopwatch.StartNew();
        if (!TryPrepare(chunk, clock, out var function, out var items)) return;
        if (chunk.TaskTimeout > TimeSpan.Zero || function.TakesToken || !function.ReturnsPlainValue)
            RunEachItem(chunk, function, items, clock);
        else if (chunk.OneArgument) RunOverArrays(chunk, function, items, clock);
        else RunRows(chunk, function, (object?[][])items, clock);
    }

    /// <summary>
    /// Runs the process's initializer (once), resolves the function and reads the arguments; false, with the chunk's
    /// error sent, when any of that fails.
    /// </summary>
    private bool TryPrepare(Chunk chunk, Stopwatch clock, out ResolvedFunction function, out Array items)
    {
        (function, items) = (null!, Array.Empty<object?>());
        var readingArguments = false;
        try
        {
            if (_initializer.EnsureRan() is { } initError)
            {
                SendFailure(chunk, _errors.Describe(initError, ErrorKind.Initializer), clock);
                return false;
            }
            function = FunctionResolver.Resolve(chunk.Function);
            if (!TryReadPayload(chunk, out var payload)) return false;
            var what = $"the arguments of {chunk.Function.DisplayName}";
            readingArguments = true;
            items = PayloadSerializer.Deserialize<Array>(payload, what);
            return true;
        }
        catch (WorkerSetupException e) when (e.HostCannotRun)
        {
            // No call of this pool can run here: the pool runs what this host holds elsewhere and stops it, instead of
            // failing the call. Said here too, for whoever started this host.
            ProcessConsole.Error.WriteLine($"clusterpool worker: cannot run call {chunk.CallId}: {e.Message}");
            _coordinator.Tell(new HostCannotRun(_errors.Pid, e.Message), _slot);
            return false;
        }
        catch (Exception e)
        {
            // A refused payload or function is said here too, not only to the pool: it may be an attack.
            if (e is PayloadSerializationException { TypeRefused: true } or WorkerSetupException { Refused: true })
                ProcessConsole.Error.WriteLine($"clusterpool worker: refused work of call {chunk.CallId}: {e.Message}");
            // Arguments this worker cannot read: the pool sends each item again alone; only the unreadable one fails.
            var kind = readingArguments && e is PayloadSerializationException ? ErrorKind.Arguments : ErrorKind.Worker;
            SendFailure(chunk, _errors.Describe(e, kind), clock);
            return false;
        }
    }

    /// <summary>
    /// Map's items: a typed array through a typed delegate, typed results back (no boxing, no reflection per item).
    /// </summary>
    private void RunOverArrays(Chunk chunk, ResolvedFunction function, Array items, Stopwatch clock)
    {
        IArrayInvoker invoker;
        try { invoker = function.OverArrays; }
        catch (Exception e)
        {
            SendFailure(chunk, _errors.Describe(e, ErrorKind.Worker), clock);
            return;
        }
        var values = invoker.NewResults(items.Length);
        var cadence = new ResultCadence(_resultsEvery, chunk.StartAt);
        while (true)
        {
            var done = invoker.Run(items, values, cadence.Sent, cadence.Due, _current, out var error);
            if (error is not null || done == items.Length)
            {
                var failure = error is null ? null : _errors.Describe(error, ErrorKind.UserCode);
                _sender.Send(chunk, values, done, failure, clock, from: cadence.Sent);
                return;
            }
            if (_sender.SendSoFar(chunk, values, done, clock, cadence)) return; // a result cannot be sent
            if (!StopsHere(chunk)) continue;
            HandBackStopped(chunk);
            return;
        }
    }

    /// <summary>StarMap's and Apply's items: each an argument list.</summary>
    private void RunRows(Chunk chunk, ResolvedFunction function, object?[][] rows, Stopwatch clock)
    {
        var results = new object?[rows.Length];
        var cadence = new ResultCadence(_resultsEvery, chunk.StartAt);
        for (var i = chunk.StartAt; i < rows.Length; i++)
        {
            try { results[i] = function.Invoke(rows[i]); }
            catch (Exception e)
            {
                _sender.Send(chunk, results, i, _errors.Describe(e, ErrorKind.UserCode), clock, from: cadence.Sent);
                return;
            }
            if (i + 1 >= rows.Length || !(cadence.IsDue || _current.YieldRequested)) continue;
            if (_sender.SendSoFar(chunk, results, i + 1, clock, cadence)) return; // a result cannot be sent
            if (!StopsHere(chunk)) continue;
            HandBackStopped(chunk);
            return;
        }
        _sender.Send(chunk, results, results.Length, null, clock, from: cadence.Sent);
    }

    /// <summary>
    /// Runs a chunk item by item, each with its own <see cref="CancellationToken"/>: cancelled when the call is
    /// cancelled or the item's timeout passes. A timed-out item ends the chunk with a timeout error (the coordinator
    /// runs the rest elsewhere); one that ignores its token is left to the watchdog.
    /// </summary>
    private void RunEachItem(Chunk chunk, ResolvedFunction function, Array items, Stopwatch clock)
    {
        if (chunk.TaskTimeout > TimeSpan.Zero) _watchdog.Start();
        var results = new object?[items.Length];
        var cadence = new ResultCadence(_resultsEvery, chunk.StartAt);
        for (var i = chunk.StartAt; i < items.Length; i++)
        {
            using var cancel = new CancellationTokenSource();
            var item = new RunningItem(chunk, i, results, cancel);
            var (value, error) = RunItem(chunk, function, items, item, cancel);
            if (!item.TryFinish()) return; // the watchdog reported it and is recycling this process
            if (!ItemDone(chunk, item, value, error, clock, cadence, cancel.IsCancellationRequested)) return;
            if (cadence.IsDue && i + 1 < items.Length && _sender.SendSoFar(chunk, results, i + 1, clock, cadence))
                return; // a result cannot be sent: the chunk ended with its error
        }
        _sender.Send(chunk, results, results.Length, null, clock, from: cadence.Sent);
    }

    /// <summary>Runs one item with its token (cancelled at once if its call already was, or at its timeout).</summary>
    private (object? Value, Exception? Error) RunItem(Chunk chunk, ResolvedFunction function, Array items,
        RunningItem item, CancellationTokenSource cancel)
    {
        _current.BeginItem(item);
        if (_cancelled.Contains(chunk)) item.Cancel(); // cancelled between the check in Loop and here
        if (chunk.TaskTimeout > TimeSpan.Zero) cancel.CancelAfter(chunk.TaskTimeout);
        try
        {
            var token = function.TakesToken ? cancel.Token : (CancellationToken?)null;
            return (function.Invoke(Arguments(chunk, items, item.Offset, token)), null);
        }
        catch (Exception e) { return (null, e); }
        finally { _current.EndItem(); }
    }

    /// <summary>
    /// What an item's end means for its chunk: true to go on with the next item; false when the chunk ended here
    /// (its call was cancelled, the item timed out or failed), with what it has sent.
    /// </summary>
    private bool ItemDone(Chunk chunk, RunningItem item, object? value, Exception? error, Stopwatch clock,
        ResultCadence cadence, bool tokenFired)
    {
        var (i, results, timeout) = (item.Offset, item.Results, chunk.TaskTimeout);
        if (_cancelled.Contains(chunk))
        {
            // Cancelled or interrupted: what finished still counts (an interrupted run stores it); the rest goes back.
            if (error is null) results[i++] = value;
            if (i > cadence.Sent) _sender.Send(chunk, results, i, null, clock, complete: false, from: cadence.Sent);
            HandBackStopped(chunk);
            return false;
        }
        // Timed out: its token fired (the call was not cancelled: checked above), or it returned after its deadline.
        if (timeout > TimeSpan.Zero && (tokenFired || item.Elapsed >= timeout))
        {
            _sender.Send(chunk, results, i, _errors.Timeout(timeout, recycled: false), clock, from: cadence.Sent);
            return false;
        }
        if (error is not null)
        {
            _sender.Send(chunk, results, i, _errors.Describe(error, ErrorKind.UserCode), clock, from: cadence.Sent);
            return false;
        }
        results[i] = value;
        return true;
    }

    /// <summary>After the results so far went: true when the chunk is no longer wanted (its call is over, or another
    /// copy finished it).</summary>
    private bool StopsHere(Chunk chunk)
    {
        _current.YieldTaken();
        return _cancelled.Contains(chunk);
    }

    /// <summary>
    /// The chunk's payload: as it came, or read from the file the pool handed it over in (and that file removed). A
    /// file that cannot be read is not the items' fault: the chunk goes back to the pool, which sends it again over the
    /// network and stops handing payloads over.
    /// </summary>
    private bool TryReadPayload(Chunk chunk, out byte[] payload)
    {
        payload = chunk.Payload;
        if (chunk.PayloadFile is not { } file) return true;
        try
        {
            payload = HandOverFiles.Take(file);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The pool removes the file of a chunk that finished elsewhere or whose call ended, and of every chunk when
            // it closes (the folder goes): handed back without a word, as a dropped chunk is.
            if (_cancelled.Contains(chunk) || e is DirectoryNotFoundException)
            {
                _coordinator.Tell(new HandBack([chunk]), _slot);
                return false;
            }
            var why = $"the arguments of call {chunk.CallId} handed over in {file} could not be read: {e.Message}";
            ProcessConsole.Error.WriteLine($"clusterpool worker: {why}");
            _coordinator.Tell(new HandBack([chunk], why), _slot);
            return false;
        }
    }

    /// <summary>The chunk could not run at all: the error at its first item to run.</summary>
    private void SendFailure(Chunk chunk, RemoteError error, Stopwatch clock) =>
        _sender.Send(chunk, Array.Empty<object?>(), chunk.StartAt, error, clock, from: chunk.StartAt);

    /// <summary>
    /// The chunk stopped before its end because its call is over or another copy finished it: what was sent stays, and
    /// the chunk is handed back (an interrupted pool waits until every chunk came back or finished; for a dropped
    /// chunk the coordinator ignores it).
    /// </summary>
    private void HandBackStopped(Chunk chunk)
    {
        _outbox.Flush();
        _coordinator.Tell(new HandBack([chunk]), _slot);
    }

    private static object?[] Arguments(Chunk chunk, Array items, int i, CancellationToken? token)
    {
        object?[] args = chunk.OneArgument ? [items.GetValue(i)] : (object?[])items.GetValue(i)!;
        return token is { } t ? [.. args, t] : args;
    }
}
