using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Worker;

/// <summary>
/// Runs one slot's chunks, one at a time, on a dedicated thread: user code never runs on Akka's dispatcher, so a
/// CPU-bound task cannot starve the heartbeats that keep this node in the cluster. Results go straight to the
/// coordinator, split into parts that each fit one frame.
/// </summary>
internal sealed class ChunkRunner : IDisposable
{
    private readonly BlockingCollection<Chunk> _queue = new();
    private readonly IActorRef _slot;
    private readonly IActorRef _coordinator;
    private readonly ProcessInitializer _initializer;
    private readonly FrameBudget _budget;
    private readonly Thread _thread;
    private readonly string _host = Environment.MachineName;
    private readonly int _pid = Environment.ProcessId;

    public ChunkRunner(IActorRef slot, IActorRef coordinator, ProcessInitializer initializer, FrameBudget budget, string name)
    {
        _slot = slot;
        _coordinator = coordinator;
        _initializer = initializer;
        _budget = budget;
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Queues a chunk to run after those already queued.</summary>
    public void Enqueue(Chunk chunk) => _queue.Add(chunk);

    /// <summary>Takes back every chunk not yet started (the running one finishes).</summary>
    public Chunk[] DrainQueued()
    {
        var drained = new List<Chunk>();
        while (_queue.TryTake(out var chunk)) drained.Add(chunk);
        return [.. drained];
    }

    public void Dispose() => _queue.CompleteAdding();

    private void Loop()
    {
        while (true)
        {
            if (!_queue.TryTake(out var chunk))
            {
                Flush(); // nothing more queued: whatever results wait go now
                try { chunk = _queue.Take(); }
                catch (InvalidOperationException) { return; } // disposed
            }
            Run(chunk);
            if (_queue.Count == 0 || _outbox.Count >= MaxHeldResults || _outboxBytes >= _budget.MaxPayload / 2 ||
                _outboxAge.Elapsed >= MaxResultDelay)
                Flush();
            _slot.Tell(new WorkerSlot.ChunkFinished(chunk.ChunkId));
        }
    }

    // Results of short chunks wait here while more chunks are queued, and travel together (see ChunkResults).
    private const int MaxHeldResults = 64;
    private static readonly TimeSpan MaxResultDelay = TimeSpan.FromMilliseconds(5);
    private readonly List<ChunkResult> _outbox = [];
    private readonly Stopwatch _outboxAge = new();
    private long _outboxBytes;

    private void Post(ChunkResult result)
    {
        if (_outbox.Count == 0) _outboxAge.Restart();
        _outbox.Add(result);
        _outboxBytes += (result.Payload?.Length ?? 0) + 256;
        if (_outboxBytes >= _budget.MaxPayload / 2) Flush(); // the batch must fit one frame
    }

    private void Flush()
    {
        if (_outbox.Count == 1) _coordinator.Tell(_outbox[0], _slot);
        else if (_outbox.Count > 1) _coordinator.Tell(new ChunkResults([.. _outbox]), _slot);
        _outbox.Clear();
        _outboxBytes = 0;
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
        catch (Exception e) { Send(chunk, Array.Empty<object?>(), 0, Describe(e, ErrorKind.Worker), clock); return; }

        if (chunk.OneArgument)
        {
            // Map's items: a typed array through a typed delegate, typed results back (no boxing, no reflection per item).
            IArrayInvoker invoker;
            try { invoker = function.OverArrays; }
            catch (Exception e) { Send(chunk, Array.Empty<object?>(), 0, Describe(e, ErrorKind.Worker), clock); return; }
            var values = invoker.Run(items, out var completed, out var error);
            Send(chunk, values, completed, error is null ? null : Describe(error, ErrorKind.UserCode), clock);
            return;
        }

        var rows = (object?[][])items;
        var results = new object?[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            try { results[i] = function.Invoke(rows[i]); }
            catch (Exception e)
            {
                Send(chunk, results, i, Describe(e, ErrorKind.UserCode), clock);
                return;
            }
        }
        Send(chunk, results, results.Length, null, clock);
    }

    /// <summary>Sends the first <paramref name="count"/> of <paramref name="values"/>, then the error if any, in frame-sized parts.</summary>
    private void Send(Chunk chunk, Array values, int count, RemoteError? error, Stopwatch clock)
    {
        var parts = new List<(int Offset, int Count, byte[]? Payload)>();
        var failure = Pack(chunk, 0, values, 0, count, parts);
        error = failure ?? error;
        var seconds = clock.Elapsed.TotalSeconds;
        if (parts.Count == 0) parts.Add((0, 0, null));
        for (var p = 0; p < parts.Count; p++)
        {
            var last = p == parts.Count - 1;
            var (o, n, payload) = parts[p];
            Post(new ChunkResult(chunk.JobId, chunk.ChunkId, o, n, payload, last ? error : null, last, last ? seconds : 0));
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

    private RemoteError Describe(Exception e, ErrorKind kind) =>
        new(kind, e.GetType().AssemblyQualifiedName ?? e.GetType().FullName ?? e.GetType().Name, e.Message, e.StackTrace ?? "", _host, _pid);
}
