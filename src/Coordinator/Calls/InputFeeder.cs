using System.Threading.Channels;
using ClusterPool.Checkpoints;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Calls;

/// <summary>
/// Reads the caller's items lazily on its own task, serializes them into chunks sized in items (<see
/// cref="ChunkPlan"/>) and in bytes (under one frame), and keeps at most a window of chunks ready. The caller's
/// enumerable is touched only here, so a slow or huge input never blocks the coordinator or fills memory. An item whose
/// arguments cannot be serialized, or are too large for a frame, fails in its own place (<see cref="ItemUnsent"/>) and
/// the items after it still run, as Python's pool fails only the task it could not pickle. An exception from the
/// enumerable ends the input at that item, after every earlier item. So does any other failure of the reader (a
/// checkpoint that cannot be read, an enumerable whose GetEnumerator throws): the reader runs unobserved, so whatever
/// stops it must still end the input, or the call would wait for ever.
/// </summary>
/// <typeparam name="TItem">
/// What one item sends: its single argument (Map, IMap: the payload is a typed <c>TItem[]</c>, no boxing) or its
/// argument list, <c>object?[]</c> (Apply, StarMap). <c>oneArgument</c> tells the worker which.
/// </typeparam>
internal sealed class InputFeeder<TItem> : IInputFeeder
{
    private readonly long _callId;
    private readonly FunctionRef _function;
    private readonly IEnumerable<TItem> _items;
    private readonly bool _oneArgument;
    private ChunkPlan _chunks;
    private long _chunk; // the number of the next chunk, for its size
    private readonly FrameBudget _budget;
    private readonly AheadGate? _gate;
    private readonly Channel<FeedItem> _ready;
    private readonly CancellationTokenSource _cancel = new();
    private readonly TimeSpan _taskTimeout;
    private readonly CheckpointedCall? _checkpoint;
    private long _nextChunkId;
    private int _notifyArmed;

    public InputFeeder(long callId, FunctionRef function, IEnumerable<TItem> items, ChunkPlan chunks,
        FrameBudget budget, int windowChunks, AheadGate? gate, bool oneArgument = false, TimeSpan taskTimeout = default,
        CheckpointedCall? checkpoint = null)
    {
        _checkpoint = checkpoint;
        _taskTimeout = taskTimeout;
        _callId = callId;
        _function = function;
        _items = items;
        _oneArgument = oneArgument;
        _chunks = chunks;
        _budget = budget;
        _gate = gate;
        _ready = Channel.CreateBounded<FeedItem>(new BoundedChannelOptions(windowChunks)
        {
            SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>
    /// Starts reading the input. A small in-memory input (an Apply's arguments, a short list) is cut into chunks right
    /// here, on the caller's thread, so its first chunk is ready before the coordinator looks: no thread hop per call.
    /// Anything else is read in the background, lazily.
    /// </summary>
    public void Start()
    {
        if (_items is ICollection<TItem> { Count: <= SmallInput }) _ = ProduceAsync();
        else _ = Task.Run(ProduceAsync);
    }

    /// <summary>An input this short and already in memory is chunked on the caller's thread (it fits the
    /// window).</summary>
    private const int SmallInput = 16;

    /// <summary>Takes the next ready item without waiting.</summary>
    public bool TryTake(out FeedItem item)
    {
        if (_ready.Reader.TryRead(out item!))
        {
            Taken(item);
            return true;
        }
        if (_ended || !_ready.Reader.Completion.IsCompleted || _cancel.IsCancellationRequested) return false;
        // The reader stopped without ending the input (it failed, see ProduceAsync): the input ends after the items it
        // handed over, with its error, so the call fails instead of waiting for ever.
        item = new InputEnded(_taken, Volatile.Read(ref _failure) ?? new InvalidOperationException(
            $"the call's input reader stopped after item {_taken - 1} without saying why"));
        _ended = true;
        return true;
    }

    /// <summary>Counts what the coordinator took: items handed over (all of them before <see cref="_taken"/>, as they
    /// come in item order), and whether the input's end was among them.</summary>
    private void Taken(FeedItem item)
    {
        switch (item)
        {
            case ChunkReady ready:
                Interlocked.Add(ref _readyItems, -ready.Chunk.Count);
                _taken = ready.Chunk.FirstIndex + ready.Chunk.Count;
                break;
            case ItemRestored restored:
                _taken = restored.Index + 1;
                break;
            case ItemUnsent unsent:
                _taken = unsent.Index + 1;
                break;
            case InputEnded:
                _ended = true;
                break;
        }
    }

    // The coordinator's side (TryTake): items taken so far, and whether the input's end was.
    private long _taken;
    private bool _ended;

    // The reader's error that stopped it without an end of input, for TryTake to end the input with.
    private Exception? _failure;

    private long _readyItems;

    /// <summary>Items read and chunked, waiting to be taken.</summary>
    public long ReadyItems => Interlocked.Read(ref _readyItems);

    /// <summary>Calls <paramref name="onReady"/> once when an item is ready to take (at most one pending
    /// call).</summary>
    public void NotifyWhenReady(Action onReady)
    {
        if (Interlocked.Exchange(ref _notifyArmed, 1) == 1) return;
        _ = _ready.Reader.WaitToReadAsync(_cancel.Token).AsTask().ContinueWith(_ =>
        {
            Volatile.Write(ref _notifyArmed, 0);
            onReady();
        }, TaskScheduler.Default);
    }

    /// <summary>Stops reading the input (the call is over).</summary>
    public void Cancel()
    {
        if (!_cancel.IsCancellationRequested) _cancel.Cancel();
    }

    private async Task ProduceAsync()
    {
        var pending = new List<TItem>(Math.Min(_chunks.Size, 4096));
        long index = 0;
        // A Map over an input of unknown length (a LINQ query, an iterator) reads ahead to learn it, as Python's map
        // makes a list of its input: chunks of a fixed 64 ran a Map of 8 items on one worker of many.
        var deciding = _chunks.LookAhead > 0;
        var reading = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var stored = _checkpoint?.OpenStored();
            using var items = _items.GetEnumerator();
            while (true)
            {
                if (_gate is not null) await _gate.WaitForRoomAsync(index, _cancel.Token);
                _cancel.Token.ThrowIfCancellationRequested();
                TItem item;
                try
                {
                    if (!items.MoveNext()) break;
                    item = items.Current;
                }
                catch (Exception inputError)
                {
                    await EndAsync(pending, index - pending.Count, index, inputError);
                    return;
                }
                if (stored is not null && Restore(stored, index, item) is { } restored)
                {
                    // Done in an earlier run with the same arguments: its stored result, no worker. A chunk is a run of
                    // consecutive items, so the items gathered so far go first.
                    await FlushAsync(pending, index - pending.Count);
                    await WriteAsync(restored);
                    index++;
                    continue;
                }
                pending.Add(item);
                index++;
                if (deciding)
                {
                    // Long, or slow to read (the first task is not to wait for it): chunks of the fixed size.
                    if (pending.Count < _chunks.LookAhead && reading.Elapsed < LookAheadFor) continue;
                    deciding = false;
                }
                if (pending.Count < _chunks.SizeOf(_chunk)) continue;
                await FlushAsync(pending, index - pending.Count);
            }
            if (deciding) _chunks = _chunks.ForLength(index);
            await EndAsync(pending, index - pending.Count, index, null);
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested) { } // the call is over
        catch (Exception error) { await FailAsync(pending, index - pending.Count, error); }
        finally { _ready.Writer.TryComplete(); }
    }

    /// <summary>
    /// The reader failed outside the input's own MoveNext (the checkpoint cannot be read, the input's GetEnumerator
    /// threw): the items read before still go out, so their results reach the caller, and the input then ends with
    /// <paramref name="error"/> (<see cref="TryTake"/> says so once everything before is taken).
    /// </summary>
    private async Task FailAsync(List<TItem> pending, long firstIndex, Exception error)
    {
        Volatile.Write(ref _failure, error);
        try { await FlushAsync(pending, firstIndex); }
        catch (Exception) { } // cancelled, or failing again: the first error is the one to report
    }

    /// <summary>The item's stored result if the checkpoint has it with these arguments; else remembers their hash for
    /// storing.</summary>
    private ItemRestored? Restore(StoredResults stored, long index, TItem item)
    {
        long hash;
        try { hash = CheckpointedCall.HashOf(item); }
        catch (PayloadSerializationException) { return null; } // sending it fails below, with the error that names it
        if (stored.TryGet(index, hash, out var result)) return new ItemRestored(index, result);
        _checkpoint!.Remember(index, hash);
        return null;
    }

    private async Task EndAsync(List<TItem> pending, long firstIndex, long total, Exception? error)
    {
        await FlushAsync(pending, firstIndex);
        await WriteAsync(new InputEnded(total, error));
    }

    /// <summary>How long a Map over an input of unknown length reads ahead at most to learn its length.</summary>
    private static readonly TimeSpan LookAheadFor = TimeSpan.FromMilliseconds(200);

    /// <summary>Sends the pending items as chunks of the plan's sizes (one, but after a look-ahead); an item that
    /// cannot be sent fails alone.</summary>
    private async Task FlushAsync(List<TItem> pending, long firstIndex)
    {
        if (pending.Count == 0) return;
        var items = pending.ToArray();
        pending.Clear();
        for (var start = 0; start < items.Length;)
        {
            var count = (int)Math.Min(_chunks.SizeOf(_chunk++), items.Length - start);
            await EmitAsync(new ArraySegment<TItem>(items, start, count), firstIndex + start);
            start += count;
        }
    }

    private async Task EmitAsync(ArraySegment<TItem> items, long firstIndex)
    {
        byte[]? payload = null;
        Exception? error = null;
        try { payload = PayloadSerializer.Serialize(items.ToArray(), "the arguments"); }
        catch (PayloadSerializationException e) { error = e; }

        if (payload is not null && payload.Length <= _budget.MaxPayload)
        {
            await WriteAsync(new ChunkReady(new Chunk(_callId, _nextChunkId++, firstIndex, items.Count, _function,
                payload, _oneArgument, _taskTimeout)));
            return;
        }
        if (items.Count == 1)
        {
            var what = $"the arguments of item {firstIndex} ({Describe(items[0])})";
            await WriteAsync(new ItemUnsent(firstIndex, error is null
                ? _budget.TooLarge(what, payload!.Length)
                : new PayloadSerializationException($"{what} cannot be sent to another process: {Inner(error)}",
                    error.InnerException)));
            return;
        }
        // Halves until the item that cannot go is alone: every other item still goes, in chunks as large as fit.
        var half = items.Count / 2;
        await EmitAsync(items[..half], firstIndex);
        await EmitAsync(items[half..], firstIndex + half);
    }

    private static string Inner(Exception e) => e.Message[(e.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..];

    private static string Describe(TItem item) => item is object?[] args
        ? string.Join(", ", args.Select(Readable))
        : Readable(item);

    private static string Readable(object? value) => value is null ? "null" : AllowedTypes.Readable(value.GetType());

    private ValueTask WriteAsync(FeedItem item)
    {
        if (item is ChunkReady ready) Interlocked.Add(ref _readyItems, ready.Chunk.Count);
        return _ready.Writer.WriteAsync(item, _cancel.Token);
    }
}
