using ClusterPool.Checkpoints;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Calls;

/// <summary>
/// The coordinator's record of one call (Apply, Map, IMap, ...): its input feeder, how many results came back, and
/// when it is over. Enforces the result rules: each index delivered once; ordered calls in input order; an input error
/// ends the call after every earlier item. In a streamed call (IMap, IMapUnordered) a task error takes the item's place
/// (IMap: in input order) and the stream goes on, as Python's <c>imap</c> raises the item's exception from one
/// <c>next()</c> and returns the next result from the following one. A list call (Map, StarMap, Apply) waits, as
/// Python's <c>map</c> does, until every other item is done and then fails with the error of the lowest failed index,
/// so one bad item costs no other item's work. Plain class, driven by the coordinator actor only.
/// </summary>
internal sealed class Call
{
    private readonly CallOutput _output;
    private readonly OrderingBuffer<object?>? _ordering;
    private long _received;
    private long _failed;
    private long _nextPieceId;
    private long? _total;
    private Exception? _endError;
    private long _errorIndex = long.MaxValue;
    private Exception? _taskError;

    public Call(long id, FunctionRef function, IInputFeeder feeder, CallOutput output, CallSettings? settings = null,
        CheckpointedCall? checkpoint = null, ProgressTracker? progress = null)
    {
        Progress = progress ?? new ProgressTracker(null);
        Checkpoint = checkpoint;
        Id = id;
        Function = function;
        Feeder = feeder;
        Settings = settings ?? CallSettings.Default;
        _output = output;
        if (output.Ordered) _ordering = new OrderingBuffer<object?>();
    }

    public long Id { get; }

    /// <summary>How far the call has come, for its caller and the dashboard.</summary>
    public ProgressTracker Progress { get; }
    public FunctionRef Function { get; }
    public IInputFeeder Feeder { get; }

    /// <summary>Where the call's fresh results are stored (<see cref="PoolOptions.Checkpoint"/>), or null.</summary>
    public CheckpointedCall? Checkpoint { get; }

    /// <summary>The call's own settings (task timeout, what a timed-out item yields).</summary>
    public CallSettings Settings { get; }

    /// <summary>A new id for a chunk cut from another (the feeder counts up from 0; pieces count down from
    /// -1).</summary>
    public long NextPieceId() => --_nextPieceId;

    /// <summary>Items whose results reached the caller (or the ordering buffer) so far.</summary>
    public long Received => _received + (_ordering?.Waiting ?? 0);

    /// <summary>True once the input has ended (all its chunks were taken, or it failed).</summary>
    public bool InputDone => _total is not null;

    /// <summary>True once the call completed or failed; later results are dropped.</summary>
    public bool Finished { get; private set; }

    /// <summary>Results for consecutive items from <paramref name="firstIndex"/>.</summary>
    public void OnValues(long firstIndex, params object?[] values) =>
        OnValues(firstIndex, (Array)values, 0, values.Length);

    /// <summary>Results for <paramref name="count"/> items arrived, <paramref name="bytes"/> as sent.</summary>
    public void OnArrived(long bytes, int count) => _output.OnArrived(bytes, count);

    /// <summary>
    /// Results for items <c>firstIndex ..</c> from <c>values[start .. start + count)</c> (a typed array from the
    /// worker). Each index arrives once: the in-flight table drops repeats before they get here.
    /// </summary>
    public void OnValues(long firstIndex, Array values, int start, int count)
    {
        if (Finished) return;
        Progress.ItemsDone(count);
        if (_ordering is null)
        {
            if (_output.CanHold(values, start, count))
            {
                _output.DeliverRange(firstIndex, values, start, count);
                _received += count;
            }
            else
            {
                for (var i = 0; i < count && !Finished; i++) Release(firstIndex + i, values.GetValue(start + i));
            }
        }
        else
        {
            for (var i = 0; i < count && !Finished; i++) _ordering.Add(
                firstIndex + i, values.GetValue(start + i), Release);
        }
        CheckDone();
    }

    /// <summary>An item's outcome leaves the ordering buffer in input order: its value, or its failure in its
    /// place.</summary>
    private void Release(long index, object? value)
    {
        if (value is ItemFailure failure) FailItem(index, failure.Error);
        else if (!_output.CanHold(value))
        {
            // A result of another type than the call's (the function's real result is not what the call was told): this
            // item fails, saying so, and the call and the coordinator go on.
            FailItem(
                index, new InvalidCastException(
                $"item {index}'s result is a {value!.GetType().FullName}, which this call's result type cannot hold"));
        }
        else
        {
            _output.Deliver(index, value);
            _received++;
        }
    }

    /// <summary>Item <paramref name="index"/> failed: a list remembers the lowest failure; a stream delivers it in
    /// place.</summary>
    private void FailItem(long index, Exception error)
    {
        if (_output.WaitsForEveryItem)
        {
            if (index < _errorIndex) { _errorIndex = index; _taskError = error; }
        }
        else _output.DeliverError(index, error);
        _failed++;
    }

    /// <summary>A failed item waiting in the ordering buffer for the items before it.</summary>
    private sealed record ItemFailure(Exception Error);

    /// <summary>An item's result from the checkpoint: delivered like a fresh one.</summary>
    public void OnRestored(ItemRestored restored)
    {
        object? value;
        try { value = PayloadSerializer.Deserialize<object?>(
            restored.Result, $"the stored result of item {restored.Index}"); }
        catch (PayloadSerializationException e)
        {
            OnTaskError(restored.Index, new PayloadSerializationException(
                $"{e.Message}. The checkpoint holds a result this build cannot read: delete the checkpoint file or " +
                    "give the call a new name", e));
            return;
        }
        OnValues(restored.Index, value);
    }

    /// <summary>The task for item <paramref name="index"/> failed.</summary>
    public void OnTaskError(long index, Exception error)
    {
        if (Finished) return;
        Progress.ItemFailed();
        if (_ordering is null) FailItem(index, error);
        else _ordering.Add(index, new ItemFailure(error), Release);
        CheckDone();
    }

    /// <summary>The input ended after <paramref name="total"/> items, normally or with <paramref name="error"/> at that
    /// index.</summary>
    public void OnInputEnd(long total, Exception? error)
    {
        _total = total;
        _endError = error;
        Progress.SetTotal(total);
        CheckDone();
    }

    /// <summary>Ends the call now with <paramref name="error"/> (cancelled, terminated, a chunk lost too
    /// often).</summary>
    public void Fail(Exception error)
    {
        if (!Finished) Finish(error);
    }

    private void CheckDone()
    {
        if (Finished) return;
        if (_total is { } total && _received + _failed >= total) Finish(_taskError ?? _endError);
    }

    private void Finish(Exception? error)
    {
        Finished = true;
        Feeder.Cancel();
        _output.Complete(error);
        Progress.Finish();
    }
}
