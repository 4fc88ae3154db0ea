using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Dispatch;

/// <summary>
/// Decides which queued chunks go to which ready slot: the least loaded slot first, several chunks per message for short
/// tasks (up to what <see cref="TaskTimings"/> says keeps a slot busy, and within one frame), and a suspect chunk (one
/// whose worker died) alone in its process. Plain class, driven by the coordinator actor only.
/// </summary>
internal sealed class BatchPlanner(WorkQueue queue, InFlightTable inFlight, SlotTable slots, TaskTimings timings, FrameBudget budget)
{
    /// <summary>Takes the next chunk to hand out, or false when there is none now.</summary>
    public delegate bool TakeNext(out Chunk chunk);

    /// <summary>The batches to send now, each already recorded as in flight on its slot.</summary>
    /// <param name="ready">Slots that asked for work.</param>
    /// <param name="takeNext">The queue's next chunk (it reads the input when the queue is empty).</param>
    public List<(Slot Slot, Chunk[] Batch)> Plan(IReadOnlySet<Slot> ready, TakeNext takeNext)
    {
        var batches = new List<(Slot, Chunk[])>();
        var accepting = slots.Accepting.Where(ready.Contains).ToList();
        // Results restored from a checkpoint and ended inputs reach their calls even while no slot can take work.
        if (accepting.Count == 0 && takeNext(out var first)) queue.PushFront(first);
        // A worker crash takes its whole process down: a suspect runs alone in its process (see InFlightTable.IsSuspect).
        var suspectHolders = inFlight.ProcessesHoldingSuspects();
        foreach (var slot in accepting)
        {
            var process = (slot.Actor.Path.Address, slot.Pid);
            if (suspectHolders.Contains(process)) continue;
            var batch = new List<Chunk>();
            long bytes = 0;
            while (takeNext(out var chunk))
            {
                var room = timings.MaxHeld(chunk.Function, chunk.Count) - slot.Held.Count;
                var size = chunk.Payload.Length + 512;
                var suspect = inFlight.IsSuspect(chunk);
                if (room <= 0 || (batch.Count > 0 && bytes + size > budget.MaxPayload) ||
                    (suspect && slots.At(process.Address, process.Pid).Any(s => s.Held.Count > 0)))
                {
                    queue.PushFront(chunk);
                    break;
                }
                inFlight.Assign(chunk, slot);
                batch.Add(chunk);
                bytes += size;
                if (!suspect) continue;
                suspectHolders.Add(process);
                break;
            }
            if (batch.Count > 0) batches.Add((slot, [.. batch]));
            // Nothing for this slot and no call still reading its input: nothing for the next slot either.
            if (queue.FeedingJobs == 0 && batch.Count == 0) break;
        }
        return batches;
    }
}
