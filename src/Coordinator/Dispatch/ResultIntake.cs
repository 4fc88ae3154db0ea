using Akka.Event;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Diagnostics;
using ClusterPool.Calls;

namespace ClusterPool.Dispatch;

/// <summary>
/// A slot's result part, taken in: accepted only from the slot that holds its chunk, the items an earlier run already
/// delivered skipped (a re-run of a re-queued chunk), the values deserialized, handed to their call, stored in its
/// checkpoint and counted; a failed item handed to <see cref="ChunkRecovery"/>. Plain class, driven by the
/// coordinator actor only.
/// </summary>
internal sealed class ResultIntake(
    CallTable calls, InFlightTable inFlight, ChunkRecovery recovery, HostTally hosts, TaskTimings timings,
        ILoggingAdapter log)
{
    /// <summary>Takes <paramref name="part"/> from <paramref name="slot"/>; returns the call it finished, if
    /// any.</summary>
    public Call? Take(ChunkResult part, Slot slot)
    {
        if (inFlight.Accept(part, slot, out var skip) is not { } entry) return null; // stale: another slot holds it now
        var call = calls.Find(part.CallId);
        if (call is { Finished: false })
        {
            if (part.Count > skip) Deliver(call, entry.Chunk, part, skip, slot);
            // An error for an item a run before this one already delivered is stale (a re-run of a re-queued chunk).
            if (part.Error is { } error && part.Offset + part.Count >= entry.Delivered && !call.Finished)
                recovery.OnItemError(call, entry.Chunk, part.Offset + part.Count, error);
        }
        entry.Delivered = Math.Max(entry.Delivered, part.Offset + part.Count);
        if (part.Complete) Complete(entry.Chunk, part);
        return call is { Finished: true } ? call : null;
    }

    /// <summary>The part's values, past the <paramref name="skip"/> delivered before, to their call and its
    /// checkpoint.</summary>
    private void Deliver(Call call, Chunk chunk, ChunkResult part, int skip, Slot slot)
    {
        var first = chunk.FirstIndex + part.Offset + skip;
        var count = part.Count - skip;
        try
        {
            var values = PayloadSerializer.Deserialize<Array>(
                part.Payload!, $"the results of {chunk.Function.DisplayName}");
            call.OnValues(first, values, skip, count);
            hosts.ItemsDone(slot, count);
            call.Checkpoint?.Store(first, values, skip, count);
        }
        catch (PayloadSerializationException e)
        {
            if (e.TypeRefused) log.Warning("refused the results of call {0} sent by {1}: {2}", part.CallId,
                slot.Actor.Path, e.Message);
            // Every item of the part fails, so a list call that waits for every item still ends.
            for (var index = first; index < first + count && !call.Finished; index++) call.OnTaskError(index, e);
        }
    }

    /// <summary>The chunk is done: no slot holds it any more, and its time tells how long the function's items
    /// take.</summary>
    private void Complete(Chunk chunk, ChunkResult part)
    {
        inFlight.Complete(new ChunkKey(part.CallId, part.ChunkId));
        var items = part.Offset + part.Count + (part.Error is null ? 0 : 1);
        timings.Record(chunk.Function, items, part.Seconds);
        PoolMetrics.RecordChunk(items, part.Seconds);
    }
}
