using System.Diagnostics;
using Akka.Event;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Diagnostics;
using ClusterPool.Calls;

namespace ClusterPool.Dispatch;

/// <summary>
/// A slot's result part, taken in: accepted only from a slot that runs a copy of its chunk, the items an earlier run or
/// the other copy already delivered skipped, the values deserialized, handed to their call, stored in its checkpoint
/// and counted; a failed item handed to <see cref="ChunkRecovery"/>. When a chunk with two copies completes, the other
/// copy is the loser, to be told to stop. Plain class, driven by the coordinator actor only.
/// </summary>
internal sealed class ResultIntake(
    CallTable calls, InFlightTable inFlight, ChunkRecovery recovery, HostTally hosts, TaskTimings timings,
        StragglerWatch stragglers, PoolStatus status, ILoggingAdapter log)
{
    /// <summary>What taking a part did.</summary>
    /// <param name="Finished">The call it finished, if any.</param>
    /// <param name="Loser">The slot whose copy of the chunk lost the race, to be told to drop it, if any.</param>
    public readonly record struct Outcome(Call? Finished, Slot? Loser);

    /// <summary>Takes <paramref name="part"/> from <paramref name="slot"/>.</summary>
    public Outcome Take(ChunkResult part, Slot slot)
    {
        if (inFlight.Accept(part, slot, out var skip) is not { } entry) return default; // stale: no copy runs here now
        var call = calls.Find(part.CallId);
        var end = part.Offset + part.Count; // and the failed item's offset, if the part has an error
        var staleError = part.Error is not null && end < entry.Delivered;
        var copy = entry.CopyOn(slot)!;
        // Counted before the results reach the caller, who may read the statistics as soon as the call returns.
        if (part.Complete && part.Error is null && copy == entry.Backup)
            status.BackupWon(StragglerWatch.Saved(entry, entry.First!, Stopwatch.GetTimestamp()));
        if (call is { Finished: false } && part.Count > skip) Deliver(call, entry.Chunk, part, skip, slot);
        entry.Delivered = Math.Max(entry.Delivered, end);
        copy.Reached = Math.Max(copy.Reached, end);
        if (part.Error is { } error)
        {
            // An item another copy got past (a re-run of a re-queued chunk, or the other copy did it), or one that the
            // other copy still runs: that copy decides; this one ends here.
            if (staleError || entry.Backup is not null)
            {
                if (!inFlight.EndCopy(entry, slot) && call is { Finished: false }) recovery.RunRestAgain(call, entry);
                return new Outcome(Finished(call), null);
            }
            if (call is { Finished: false }) recovery.OnItemError(call, entry.Chunk, end, error);
        }
        if (!part.Complete) return new Outcome(Finished(call), null);
        var loser = entry.Other(copy)?.Slot;
        Complete(call, entry, copy, part);
        return new Outcome(Finished(call), loser);
    }

    private static Call? Finished(Call? call) => call is { Finished: true } ? call : null;

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
            call.OnArrived(part.Payload!.Length * (long)count / part.Count, count);
            call.OnValues(first, values, skip, count);
            hosts.ItemsDone(slot, count);
            call.Checkpoint?.Store(first, values, skip, count);
        }
        catch (PayloadSerializationException e)
        {
            if (e.TypeRefused) log.Warning("refused the results of call {0} sent by {1}: {2}", part.CallId,
                slot.Actor.Path, e.Message);
            var from = part.Offset + skip;
            if (count > 1 && recovery.TryRunEachAlone(call, chunk, from, from + count)) return;
            // Every item of the part fails, so a list call that waits for every item still ends.
            for (var index = first; index < first + count && !call.Finished; index++) call.OnTaskError(index, e);
        }
    }

    /// <summary>The chunk is done: no slot holds it any more, and its time tells how long the function's items
    /// take.</summary>
    private void Complete(Call? call, InFlight entry, ChunkCopy winner, ChunkResult part)
    {
        var chunk = entry.Chunk;
        inFlight.Complete(ChunkKey.Of(chunk));
        var items = part.Offset + part.Count + (part.Error is null ? 0 : 1) - winner.StartAt;
        timings.Record(chunk.Function, items, part.Seconds);
        if (call?.Settings.Speculative == true)
            stragglers.Record(call.Id, chunk.Function, winner.Slot, items, part.Seconds);
        PoolMetrics.RecordChunk(items, part.Seconds);
    }
}
