using ClusterPool.Diagnostics;
using ClusterPool.Contracts.Messages;
using ClusterPool.Calls;

namespace ClusterPool.Dispatch;

/// <summary>
/// What happens to work that did not finish: chunks lost with their worker, and the rest of a chunk after a failed
/// item. Plain class, driven by the coordinator actor only, so its rules are unit-testable without an actor system.
/// </summary>
internal sealed class ChunkRecovery(WorkQueue queue, InFlightTable inFlight, CallTable calls, int maxRetries,
    PoolStatus status)
{
    /// <summary>
    /// Slots are gone: their chunks run again elsewhere. A chunk lost with its worker runs again item by item, each
    /// alone on a slot, so that an item that kills its worker every time is found: after <c>MaxRetries</c> retries it
    /// fails with a <see cref="WorkerLostException"/> naming it, and no other item pays for it.
    /// <paramref name="countLoss"/> is false when the loss was not the chunks' fault (a recycled or unreachable
    /// worker). Returns the calls that these failures finished.
    /// </summary>
    public List<Call> Lose(IEnumerable<Slot> slots, string why, bool countLoss)
    {
        var finished = new List<Call>();
        var anyLost = false;
        foreach (var slot in slots)
        {
            // a worker that held work is lost even when a backup copy elsewhere runs on with all it held
            anyLost |= slot.Held.Count > 0;
            var lost = inFlight.LoseSlot(slot, countLoss);
            status.ChunksRequeued(lost.Count);
            status.ItemsRerun(lost.Sum(entry => (long)(entry.Chunk.Count - entry.Delivered)));
            foreach (var entry in lost)
            {
                if (calls.Unfinished(entry.Chunk.CallId) is not { } call) continue;
                var chunk = entry.Chunk;
                if (entry.Losses > maxRetries)
                {
                    inFlight.Complete(ChunkKey.Of(chunk));
                    for (var offset = entry.Delivered; offset < chunk.Count && !call.Finished; offset++)
                        call.OnTaskError(chunk.FirstIndex + offset, new WorkerLostException(chunk.Function.DisplayName,
                            chunk.FirstIndex + offset, ChunkPieces.Describe(chunk, offset), entry.Losses, maxRetries,
                                why));
                    if (call.Finished) finished.Add(call);
                }
                else if (countLoss && chunk.Count - entry.Delivered > 1)
                {
                    var pieces = ChunkPieces.Cut(chunk, entry.Delivered, 1, call.NextPieceId);
                    inFlight.Replace(entry, pieces);
                    PushFront(pieces);
                }
                else if (entry.Delivered > 0)
                {
                    // Not the chunk's fault (its host was cut off or recycled): the items without a result run again as
                    // one chunk; those delivered (a long chunk sends them every second) are not computed twice.
                    var rest = ChunkPieces.Cut(chunk, entry.Delivered, chunk.Count, call.NextPieceId);
                    inFlight.Replace(entry, rest);
                    PushFront(rest);
                }
                else queue.PushFront(chunk);
            }
        }
        if (anyLost && countLoss) status.WorkerLost();
        return finished;
    }

    /// <summary>
    /// Item <paramref name="offset"/> of <paramref name="chunk"/> failed (the items before it were delivered): the call
    /// hears of it, and the items after it run as a chunk of their own (the worker ran none of them, except where a
    /// result it could not send ended the chunk: those it ran after that one run again).
    /// </summary>
    public void OnItemError(Call call, Chunk chunk, int offset, RemoteError error)
    {
        var index = chunk.FirstIndex + offset;
        if (error.Kind is ErrorKind.Initializer or ErrorKind.Worker)
        {
            // The worker could not run this function at all (its initializer failed, the assembly is missing or another
            // build): every item of the chunk fails alike; running the rest again would fail the same way, item by
            // item.
            var cause = RemoteErrors.Rebuild(error);
            for (var i = index; i < chunk.FirstIndex + chunk.Count && !call.Finished; i++) call.OnTaskError(i, cause);
            return;
        }
        if (error.Kind == ErrorKind.Arguments && chunk.Count - offset > 1
            && TryRunEachAlone(call, chunk, offset, chunk.Count)) return;
        if (error.Kind == ErrorKind.Timeout)
        {
            var timeout = new TaskTimeoutException(chunk.Function.DisplayName, index,
                ChunkPieces.Describe(chunk, offset), chunk.TaskTimeout, error.Recycled);
            if (call.Settings.OnTimeout is { } placeholder)
            {
                try { call.OnValues(index, placeholder(timeout)); }
                catch (Exception e) { call.OnTaskError(index, e); }
            }
            else call.OnTaskError(index, timeout);
        }
        else call.OnTaskError(index, RemoteErrors.Rebuild(error, index));

        if (call.Finished || offset + 1 >= chunk.Count) return;
        PushFront(ChunkPieces.Cut(chunk, offset + 1, chunk.Count, call.NextPieceId));
    }

    /// <summary>
    /// The chunk's only copy ended early at an item that an earlier run had already delivered (so its error is not the
    /// call's): the items without a result run again as a chunk of their own.
    /// </summary>
    public void RunRestAgain(Call call, InFlight entry)
    {
        var rest = ChunkPieces.Cut(entry.Chunk, entry.Delivered, entry.Chunk.Count, call.NextPieceId);
        inFlight.Replace(entry, rest);
        PushFront(rest);
    }

    /// <summary>
    /// Items <c>[from, to)</c> of <paramref name="chunk"/> could not be read together where they arrived (their
    /// arguments on the worker, their results here: a value that one side writes and the other cannot rebuild): each
    /// runs again alone, so that only the item whose value cannot be read fails, as Python fails only the task it
    /// cannot unpickle. False, with nothing done, when the arguments cannot be cut apart here either.
    /// </summary>
    public bool TryRunEachAlone(Call call, Chunk chunk, int from, int to)
    {
        List<Chunk> pieces;
        try { pieces = ChunkPieces.Cut(chunk, from, 1, call.NextPieceId, to); }
        catch (PayloadSerializationException) { return false; }
        status.ItemsRerun(pieces.Count);
        PushFront(pieces);
        return true;
    }

    private void PushFront(List<Chunk> pieces)
    {
        for (var i = pieces.Count - 1; i >= 0; i--) queue.PushFront(pieces[i]);
    }
}
