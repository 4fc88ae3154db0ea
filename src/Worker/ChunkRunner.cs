using System.Diagnostics;
using Akka.Actor;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Worker;

/// <summary>
/// Runs one slot's chunks, one at a time, on a dedicated thread: user code never runs on Akka's dispatcher, so a
/// CPU-bound task cannot starve the heartbeats that keep this node in the cluster. Results go straight to the
/// coordinator, split into parts that each fit one frame. A watchdog stops an item that outlives its timeout.
/// </summary>
internal sealed class ChunkRunner : IDisposable
{
    private readonly ChunkQueue<Chunk> _queue = new();
    private readonly IActorRef _slot;
    private readonly IActorRef _coordinator;
    private readonly ProcessInitializer _initializer;
    private readonly TaskBudget _tasks;
    private readonly FrameBudget _budget;
    private readonly ResultOutbox _outbox;
    private readonly TimeSpan _stuckGrace;
    private readonly TimeSpan _resultsEvery;
    private readonly CancelledCalls _cancelled = new();
    private readonly Thread _thread;
    private readonly string _host = Environment.MachineName;
    private readonly int _pid = Environment.ProcessId;
    private volatile RunningItem? _running;
    private volatile Chunk? _current;
    private long _currentCancelledAt; // Stopwatch timestamp at which the running chunk's call was cancelled; 0: it was not
    private int _currentAbandoned;
    private Timer? _watchdog;

    public ChunkRunner(IActorRef slot, IActorRef coordinator, ProcessInitializer initializer, TaskBudget tasks, FrameBudget budget,
        TimeSpan stuckGrace, TimeSpan resultsEvery, string name)
    {
        _resultsEvery = resultsEvery;
        _tasks = tasks;
        _slot = slot;
        _coordinator = coordinator;
        _initializer = initializer;
        _budget = budget;
        _stuckGrace = stuckGrace;
        _outbox = new ResultOutbox(coordinator, slot, budget.MaxPayload);
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Queues a chunk to run after those already queued.</summary>
    public void Enqueue(Chunk chunk) => _queue.Add(chunk);

    /// <summary>Takes back every chunk not yet started (the running one finishes).</summary>
    public Chunk[] DrainQueued() => _queue.TakeAll();

    /// <summary>The call is over: skip its queued chunks, and cancel the token of its running item.</summary>
    public void DropCall(long callId)
    {
        _cancelled.Add(callId);
        if (_running is { } item && item.Chunk.CallId == callId) item.Cancel();
        // A task that ignores its cancelled token would hold this slot for ever, and work sent here next would wait
        // behind it: past the stuck-task grace, the watchdog recycles the process, as for a task past its timeout.
        if (_current is { } running && running.CallId == callId)
        {
            Interlocked.CompareExchange(ref _currentCancelledAt, Stopwatch.GetTimestamp(), 0);
            StartWatchdog();
        }
    }

    public void Dispose()
    {
        _queue.Complete();
        _watchdog?.Dispose();
    }

    private void Loop()
    {
        while (true)
        {
            if (!_queue.TryTake(out var chunk))
            {
                _outbox.Flush(); // nothing more queued: whatever results wait go now
                chunk = _queue.Take();
                if (chunk is null) return; // disposed
            }
            if (_cancelled.Contains(chunk.CallId))
            {
                // The call is over or interrupted: not run. Handed back, so an interrupted pool knows nothing is pending.
                Return(chunk, budgetSpent: false);
                continue;
            }
            if (!_tasks.TryStart())
            {
                Return(chunk, budgetSpent: true); // this process has run its MaxTasksPerChild
                continue;
            }
            Interlocked.Exchange(ref _currentCancelledAt, 0);
            _current = chunk;
            Run(chunk);
            _current = null;
            if (Volatile.Read(ref _currentAbandoned) == 1) return; // the watchdog gave it up and is recycling this process
            _outbox.FlushIfDue(_queue.Count == 0);
            _slot.Tell(new WorkerSlot.ChunkFinished(chunk.ChunkId));
        }
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
        Array items;
        ResolvedFunction function;
        try
        {
            if (_initializer.EnsureRan() is { } initError) { Send(chunk, Array.Empty<object?>(), 0, Describe(initError, ErrorKind.Initializer), clock); return; }
            function = FunctionResolver.Resolve(chunk.Function);
            items = PayloadSerializer.Deserialize<Array>(chunk.Payload, $"the arguments of {chunk.Function.DisplayName}");
        }
        catch (Exception e)
        {
            // A refused payload or function is said here too, not only to the pool: it may be an attack.
            if (e is PayloadSerializationException { TypeRefused: true } or WorkerSetupException { Refused: true })
                ProcessConsole.Error.WriteLine($"clusterpool worker: refused work of call {chunk.CallId}: {e.Message}");
            Send(chunk, Array.Empty<object?>(), 0, Describe(e, ErrorKind.Worker), clock);
            return;
        }

        if (chunk.TaskTimeout > TimeSpan.Zero || function.TakesToken || !function.ReturnsPlainValue)
        {
            RunEachItem(chunk, function, items, clock);
            return;
        }

        if (chunk.OneArgument)
        {
            // Map's items: a typed array through a typed delegate, typed results back (no boxing, no reflection per item).
            IArrayInvoker invoker;
            try { invoker = function.OverArrays; }
            catch (Exception e) { Send(chunk, Array.Empty<object?>(), 0, Describe(e, ErrorKind.Worker), clock); return; }
            var values = invoker.NewResults(items.Length);
            var cadence = new ResultCadence(_resultsEvery);
            while (true)
            {
                var done = invoker.Run(items, values, cadence.Sent, cadence.Due, out var error);
                if (error is not null || done == items.Length)
                {
                    Send(chunk, values, done, error is null ? null : Describe(error, ErrorKind.UserCode), clock, from: cadence.Sent);
                    return;
                }
                SendSoFar(chunk, values, done, clock, cadence);
            }
        }

        var rows = (object?[][])items;
        var results = new object?[rows.Length];
        var each = new ResultCadence(_resultsEvery);
        for (var i = 0; i < rows.Length; i++)
        {
            try { results[i] = function.Invoke(rows[i]); }
            catch (Exception e)
            {
                Send(chunk, results, i, Describe(e, ErrorKind.UserCode), clock, from: each.Sent);
                return;
            }
            if (each.IsDue && i + 1 < rows.Length) SendSoFar(chunk, results, i + 1, clock, each);
        }
        Send(chunk, results, results.Length, null, clock, from: each.Sent);
    }

    /// <summary>
    /// Runs a chunk item by item, each with its own <see cref="CancellationToken"/>: cancelled when the call is
    /// cancelled or the item's timeout passes. A timed-out item ends the chunk with a timeout error (the coordinator
    /// runs the rest elsewhere); one that ignores its token is left to the watchdog.
    /// </summary>
    private void RunEachItem(Chunk chunk, ResolvedFunction function, Array items, Stopwatch clock)
    {
        var timeout = chunk.TaskTimeout;
        if (timeout > TimeSpan.Zero) StartWatchdog();
        var results = new object?[items.Length];
        var cadence = new ResultCadence(_resultsEvery);
        for (var i = 0; i < items.Length; i++)
        {
            using var cancel = new CancellationTokenSource();
            var item = new RunningItem(chunk, i, results, cancel);
            _running = item;
            if (_cancelled.Contains(chunk.CallId)) item.Cancel(); // cancelled between the check in Loop and here
            if (timeout > TimeSpan.Zero) cancel.CancelAfter(timeout);
            object? value = null;
            Exception? error = null;
            try { value = function.Invoke(Arguments(chunk, items, i, function.TakesToken ? cancel.Token : null)); }
            catch (Exception e) { error = e; }
            _running = null;

            if (!item.TryFinish()) return; // the watchdog reported it and is recycling this process
            if (_cancelled.Contains(chunk.CallId))
            {
                // Cancelled or interrupted: what finished still counts (an interrupted run stores it); the rest goes back.
                if (error is null) results[i++] = value;
                if (i > cadence.Sent) Send(chunk, results, i, null, clock, complete: false, from: cadence.Sent);
                _outbox.Flush();
                _coordinator.Tell(new HandBack([chunk]), _slot);
                return;
            }
            // Timed out: its token fired (the call was not cancelled: checked above), or it returned after its deadline.
            if (timeout > TimeSpan.Zero && (cancel.IsCancellationRequested || item.Elapsed >= timeout))
            {
                Send(chunk, results, i, TimeoutError(timeout, recycled: false), clock, from: cadence.Sent);
                return;
            }
            if (error is not null)
            {
                Send(chunk, results, i, Describe(error, ErrorKind.UserCode), clock, from: cadence.Sent);
                return;
            }
            results[i] = value;
            if (cadence.IsDue && i + 1 < items.Length) SendSoFar(chunk, results, i + 1, clock, cadence);
        }
        Send(chunk, results, results.Length, null, clock, from: cadence.Sent);
    }

    private static object?[] Arguments(Chunk chunk, Array items, int i, CancellationToken? token)
    {
        object?[] args = chunk.OneArgument ? [items.GetValue(i)] : (object?[])items.GetValue(i)!;
        return token is { } t ? [.. args, t] : args;
    }

    private void StartWatchdog()
    {
        var period = TimeSpan.FromMilliseconds(100);
        _watchdog ??= new Timer(_ => CheckStuck(), null, period, period);
    }

    /// <summary>
    /// The watchdog (a timer thread): an item past its timeout and its grace ignores its cancelled token. .NET cannot
    /// stop a thread safely, so the item is reported as timed out, the process hands back everything and is recycled.
    /// </summary>
    private void CheckStuck()
    {
        CheckCancelledButRunning();
        if (_running is not { } item || item.Chunk.TaskTimeout <= TimeSpan.Zero) return;
        if (item.Elapsed < item.Chunk.TaskTimeout + _stuckGrace || !item.TryAbandon()) return;

        var reason = $"item {item.Chunk.FirstIndex + item.Offset} of {item.Chunk.Function.DisplayName} ignored its timeout " +
                     $"({item.Chunk.TaskTimeout.TotalSeconds:0.###} s) for {_stuckGrace.TotalSeconds:0.###} s more; worker process {_pid} is recycled to stop it";
        Send(item.Chunk, item.Results, item.Offset, TimeoutError(item.Chunk.TaskTimeout, recycled: true), Stopwatch.StartNew());
        _outbox.Flush();
        // From the slot, after the timeout result: the coordinator must see that result before it re-queues this process's work.
        _coordinator.Tell(new Recycling(_pid, reason), _slot);
        _slot.Tell(new WorkerSlot.Stuck(reason));
    }

    /// <summary>
    /// The watchdog: the running chunk's call was cancelled (Get timed out and the caller cancelled, an IMap iterator was
    /// disposed) longer than the stuck-task grace ago, and its task still runs, ignoring its token. The call wants no
    /// result; the process is recycled so that nothing waits behind that task.
    /// </summary>
    private void CheckCancelledButRunning()
    {
        var since = Interlocked.Read(ref _currentCancelledAt);
        if (since == 0 || _current is not { } chunk || Stopwatch.GetElapsedTime(since) < _stuckGrace) return;
        if (Interlocked.CompareExchange(ref _currentAbandoned, 1, 0) != 0) return;
        _running?.TryAbandon();
        var reason = $"a task of {chunk.Function.DisplayName} went on for {_stuckGrace.TotalSeconds:0.###} s after its call was cancelled; " +
                     $"worker process {_pid} is recycled to stop it";
        _coordinator.Tell(new Recycling(_pid, reason), _slot);
        _slot.Tell(new WorkerSlot.Stuck(reason));
    }

    private RemoteError TimeoutError(TimeSpan timeout, bool recycled) =>
        new(ErrorKind.Timeout, typeof(TimeoutException).AssemblyQualifiedName!, $"ran longer than {timeout.TotalSeconds:0.###} s", "", _host, _pid, recycled);

    /// <summary>
    /// A long chunk's finished results, sent now rather than with the rest (<see cref="ResultCadence"/>): a worker or
    /// coordinator lost later costs only the items since.
    /// </summary>
    private void SendSoFar(Chunk chunk, Array values, int done, Stopwatch clock, ResultCadence cadence)
    {
        Send(chunk, values, done, null, clock, complete: false, from: cadence.Sent);
        _outbox.Flush();
        cadence.SentUpTo(done);
    }

    /// <summary>
    /// Sends <paramref name="values"/> <c>[from, count)</c> (those before <paramref name="from"/> were sent already), then
    /// the error if any, in frame-sized parts.
    /// </summary>
    private void Send(Chunk chunk, Array values, int count, RemoteError? error, Stopwatch clock, bool complete = true, int from = 0)
    {
        var parts = new List<(int Offset, int Count, byte[]? Payload)>();
        var failure = Pack(chunk, from, values, from, count - from, parts);
        error = failure ?? error;
        var seconds = clock.Elapsed.TotalSeconds;
        if (parts.Count == 0) parts.Add((from, 0, null));
        for (var p = 0; p < parts.Count; p++)
        {
            var last = p == parts.Count - 1 && complete;
            var (o, n, payload) = parts[p];
            _outbox.Post(new ChunkResult(chunk.CallId, chunk.ChunkId, o, n, payload, last ? error : null, last, last ? seconds : 0));
        }
    }

    /// <summary>
    /// Serializes values into parts under the frame budget, halving a part that is too big. Returns the error of the
    /// first value that cannot be sent at all (too large, or not serializable); the parts then stop before it.
    /// </summary>
    private RemoteError? Pack(Chunk chunk, int offset, Array values, int start, int count, List<(int, int, byte[]?)> parts)
    {
        if (count == 0) return null;
        var slice = Slice(values, start, count);
        byte[] bytes;
        try { bytes = PayloadSerializer.Serialize(slice, "the results"); }
        catch (PayloadSerializationException) when (count > 1) { bytes = []; }
        catch (PayloadSerializationException e)
        {
            return Describe(new PayloadSerializationException(
                $"the result of item {chunk.FirstIndex + offset} ({TypeName(slice.GetValue(0))}) cannot be sent back: {e.Message}"), ErrorKind.Result);
        }

        if (bytes.Length > 0 && bytes.Length <= _budget.MaxPayload)
        {
            parts.Add((offset, count, bytes));
            return null;
        }
        if (count == 1)
            return Describe(_budget.TooLarge($"the result of item {chunk.FirstIndex + offset} ({TypeName(slice.GetValue(0))})", bytes.Length), ErrorKind.Result);

        var half = count / 2;
        return Pack(chunk, offset, values, start, half, parts) ?? Pack(chunk, offset + half, values, start + half, count - half, parts);
    }

    /// <summary><c>values[start .. start + count)</c> as an array of the same element type (the whole array when it is all of it).</summary>
    private static Array Slice(Array values, int start, int count)
    {
        if (start == 0 && count == values.Length) return values;
        var slice = Array.CreateInstance(values.GetType().GetElementType()!, count);
        Array.Copy(values, start, slice, 0, count);
        return slice;
    }

    private static string TypeName(object? value) => value?.GetType().FullName ?? "null";

    /// <summary>An exception as it travels: never throws, whatever the exception's getters do.</summary>
    private RemoteError Describe(Exception e, ErrorKind kind)
    {
        var type = e.GetType();
        var message = ExceptionPayload.SafeMessage(e);
        var stack = ExceptionPayload.SafeStackTrace(e);
        return new(kind, type.AssemblyQualifiedName ?? type.FullName ?? type.Name, message, stack, _host, _pid,
            Exception: ExceptionPayload.TrySerialize(e, $"on host {_host}, worker pid {_pid}"));
    }
}
