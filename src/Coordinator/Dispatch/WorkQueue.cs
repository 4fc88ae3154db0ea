using ClusterPool.Contracts.Messages;
using ClusterPool.Calls;

namespace ClusterPool.Dispatch;

/// <summary>
/// The chunks waiting for a slot: first those that must run again (their worker was lost or handed them back), then
/// new chunks from the calls' input feeders, oldest call first (Python's pool is one FIFO queue too). What else a
/// feeder gives (an input that ended, a result restored from the checkpoint) goes to its call here; the calls that
/// this finished, and those whose feeders had nothing ready, wait for the coordinator to collect them after planning.
/// Plain class, driven by the coordinator actor only.
/// </summary>
internal sealed class WorkQueue(CallTable calls)
{
    private readonly LinkedList<Chunk> _again = new();
    private readonly LinkedList<Call> _feeding = new(); // thousands of ApplyAsync calls: removal must be O(1)
    private readonly List<Call> _finished = [];
    private readonly HashSet<Call> _waitingForInput = [];

    /// <summary>Calls whose input may still yield chunks.</summary>
    public int FeedingCalls => _feeding.Count;

    public void AddCall(Call call) => _feeding.AddLast(call);

    /// <summary>Items waiting for a slot: chunks to run again, and chunks the feeders have read ahead.</summary>
    public long QueuedItems => _again.Sum(c => (long)c.Count) + _feeding.Sum(call => call.Feeder.ReadyItems);

    /// <summary>Puts a chunk at the front, to be taken next.</summary>
    public void PushFront(Chunk chunk) => _again.AddFirst(chunk);

    /// <summary>Takes the next chunk of an unfinished call; false when none is ready now.</summary>
    public bool TryTake(out Chunk chunk)
    {
        while (_again.First is { } first)
        {
            _again.RemoveFirst();
            if (calls.Unfinished(first.Value.CallId) is null) continue;
            chunk = first.Value;
            return true;
        }
        for (var node = _feeding.First; node is not null;)
        {
            var next = node.Next;
            if (TryTakeFrom(node, out chunk)) return true;
            node = next;
        }
        chunk = null!;
        return false;
    }

    /// <summary>
    /// The calls that ended while chunks were taken (their input ended, or the checkpoint held the rest).
    /// </summary>
    public IReadOnlyList<Call> TakeFinished() => Drain(_finished);

    /// <summary>The calls whose feeders had nothing ready: each is to wake the coordinator when it has.</summary>
    public IReadOnlyList<Call> TakeWaitingForInput() => Drain(_waitingForInput);

    private bool TryTakeFrom(LinkedListNode<Call> node, out Chunk chunk)
    {
        var call = node.Value;
        chunk = null!;
        while (!call.Finished && call.Feeder.TryTake(out var item))
        {
            if (item is ChunkReady ready)
            {
                chunk = ready.Chunk;
                return true;
            }
            GiveToCall(call, item);
            if (item is InputEnded) break;
        }
        if (call.Finished || call.InputDone) _feeding.Remove(node);
        else _waitingForInput.Add(call);
        return false;
    }

    private void GiveToCall(Call call, FeedItem item)
    {
        if (item is InputEnded ended) call.OnInputEnd(ended.Total, ended.Error);
        else if (item is ItemRestored restored) call.OnRestored(restored);
        else if (item is ItemUnsent unsent) call.OnTaskError(unsent.Index, unsent.Error);
        if (call.Finished) _finished.Add(call);
    }

    private static IReadOnlyList<Call> Drain(ICollection<Call> calls)
    {
        if (calls.Count == 0) return []; // the usual case, on every dispatch: nothing to allocate
        var taken = calls.ToList();
        calls.Clear();
        return taken;
    }
}
