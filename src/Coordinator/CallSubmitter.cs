using System.Collections.Concurrent;
using Akka.Actor;
using ClusterPool.Checkpoints;
using ClusterPool.Contracts;
using ClusterPool.Diagnostics;
using ClusterPool.Dispatch;
using ClusterPool.Calls;
using ClusterPool.Lifecycle;
using Microsoft.Extensions.Logging;

namespace ClusterPool;

/// <summary>
/// Takes a pool's calls: gives each an id, its feeder, progress and checkpoint, hands it to the coordinator, and keeps
/// the calls in flight (for <see cref="Pool.Join"/>) and the recent ones (for the dashboard). What every pool method
/// (<see cref="PoolMethods"/>) calls; thread-safe.
/// </summary>
internal sealed class CallSubmitter(
    IActorRef coordinator, PoolState state, PoolStatus status, PoolSettings settings, CheckpointStore? checkpoint,
    ILogger log, Func<int> poolSize)
{
    private readonly ConcurrentDictionary<string, int> _callsPerFunction = new();
    private readonly Dictionary<Task, AheadGate?> _outstanding = [];
    private readonly CallRegistry _recent = new();
    private long _nextId;

    /// <summary>The pool's logger (category <c>ClusterPool</c>).</summary>
    public ILogger Log => log;

    /// <summary>Where the pool's callbacks run, one at a time.</summary>
    public CallbackQueue Callbacks { get; } = new();

    /// <summary>
    /// The pool size Map's default chunksize divides by: Python's <c>len(pool._pool)</c>, its number of workers. Here
    /// the slots that can run tasks at once: those registered now (a cluster's hosts may bring hundreds), and no
    /// fewer than <see cref="Pool.Processes"/> (the workers a pool still starting will have). Dividing by Processes
    /// alone gave 1,024 slots eight chunks of a Map.
    /// </summary>
    public int PoolSize => poolSize();

    /// <summary>How calls read their input ahead.</summary>
    public InputSettings Input => settings.Input;

    /// <summary>Starts a call: its feeder reads the items lazily; results go to its output.</summary>
    /// <exception cref="InvalidOperationException">The pool is closed.</exception>
    public SubmittedCall Submit<TItem>(CallRequest<TItem> call)
    {
        state.ThrowIfNotRunning();
        var function = call.Function;
        var stored = call.Checkpointed ? checkpoint?.BeginCall(CallName(function, call.Settings),
            FunctionReference.CheckpointIdentity(function), namedByCaller: call.Settings.Name is not null) : null;
        var id = Interlocked.Increment(ref _nextId);
        long? total = call.Items.TryGetNonEnumeratedCount(out var count) ? count : null;
        var progress = new ProgressTracker(total, status, id, function.DisplayName);
        if (call.Settings.Progress is { } report) progress.Subscribe(report.Report);
        var feeder = new InputFeeder<TItem>(id, function, call.Items, call.Chunks, settings.Budget,
            settings.Input.WindowChunks,
            call.Gate, call.OneArgument, call.Settings.TaskTimeout, stored);
        Track(call.Completion, call.Gate);
        _recent.Add(id, progress, call.Completion);
        PoolTracing.TraceCall(call.Method, function.DisplayName, total, call.Completion, progress.Snapshot);
        feeder.Start();
        coordinator.Tell(new PoolCoordinator.SubmitCall(new Call(
            id, function, feeder, call.Output, call.Settings, stored, progress)));
        if (call.CancellationToken.CanBeCanceled) CancelWith(id, call.CancellationToken, call.Completion);
        return new SubmittedCall(id, progress);
    }

    /// <summary>Ends the call now, with <paramref name="reason"/> as its error.</summary>
    public void Cancel(long id, Exception reason) => coordinator.Tell(new PoolCoordinator.CancelCall(id, reason));

    /// <summary>
    /// The calls not finished yet, for a wait until they are: an IMap's read-ahead limit is lifted, so that a call
    /// whose results are not taken (yet) still runs to its end, as Python's join() lets it.
    /// </summary>
    public Task[] LetAllFinish()
    {
        lock (_outstanding)
        {
            foreach (var gate in _outstanding.Values) gate?.Open();
            return [.. _outstanding.Keys];
        }
    }

    /// <summary>True while a call has not finished (its results not all delivered).</summary>
    public bool HasCallsRunning
    {
        get { lock (_outstanding) return _outstanding.Count > 0; }
    }

    /// <summary>The running calls' progress and the last finished ones', newest first (for the dashboard and the
    /// metrics).</summary>
    public List<CallProgress> Recent() => _recent.Snapshot();

    /// <summary>
    /// A call's name in the checkpoint: the caller's (<see cref="CallOptions.Name"/>), else the function's, numbered
    /// from its second call in this pool (<c>Analysis.Score</c>, <c>Analysis.Score#2</c>), so the same program run
    /// again finds its calls under the same names.
    /// </summary>
    private string CallName(FunctionRef function, CallSettings call)
    {
        if (call.Name is { } name) return name;
        var count = _callsPerFunction.AddOrUpdate(function.DisplayName, 1, (_, n) => n + 1);
        return count == 1 ? function.DisplayName : $"{function.DisplayName}#{count}";
    }

    private void CancelWith(long id, CancellationToken token, Task completion)
    {
        var registration = token.Register(() => Cancel(id, new OperationCanceledException(
            "the call was cancelled", token)));
        completion.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
    }

    private void Track(Task completion, AheadGate? gate)
    {
        lock (_outstanding) _outstanding.Add(completion, gate);
        completion.ContinueWith(t => { lock (_outstanding) _outstanding.Remove(t); }, TaskScheduler.Default);
    }
}
