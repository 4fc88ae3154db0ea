using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Dispatch;

/// <summary>
/// Decides which queued chunks go to which ready slot: first one for every slot that runs nothing, then each slot's
/// next ones (its prefetch, or a batch of short tasks: up to what <see cref="TaskTimings"/> says, within one frame), so
/// that with fewer chunks than slots none holds two while another has none; a suspect chunk (one whose worker died)
/// alone in its process. And at the tail, which slots to ask for their unstarted chunks back, so an idle slot runs them
/// instead of their waiting behind a long task. Plain class, driven by the coordinator actor only.
/// </summary>
internal sealed class BatchPlanner(WorkQueue queue, InFlightTable inFlight, SlotTable slots, TaskTimings timings,
    FrameBudget budget)
{
    private readonly HashSet<Slot> _reclaimAsked = [];

    /// <summary>The batches to send now, each already recorded as in flight on its slot.</summary>
    /// <param name="ready">Slots that asked for work.</param>
    public List<(Slot Slot, Chunk[] Batch)> Plan(IReadOnlySet<Slot> ready)
    {
        var batches = new Dictionary<Slot, List<Chunk>>();
        // A slot still running a forgotten call's chunk (a cancelled task that ignores its token) gets nothing: it
        // would wait behind that task.
        var accepting = slots.Accepting.Where(slot => ready.Contains(slot) && !inFlight.RunsForgotten(slot))
            .ToList();
        // Results restored from a checkpoint and ended inputs reach their calls even while no slot can take work.
        if (accepting.Count == 0 && queue.TryTake(out var first)) queue.PushFront(first);
        // A worker crash takes its whole process down: a suspect runs alone in its process (see
        // InFlightTable.IsSuspect).
        var suspectHolders = inFlight.ProcessesHoldingSuspects();
        foreach (var firstOnly in new[] { true, false })
        {
            foreach (var slot in accepting.OrderBy(s => s.Held.Count).ToList())
            {
                if (suspectHolders.Contains((slot.Actor.Path.Address, slot.Pid))) continue;
                var batch = batches.TryGetValue(slot, out var taken) ? taken : [];
                var (took, stop) = Fill(slot, batch, firstOnly, suspectHolders);
                if (batch.Count > 0) batches[slot] = batch;
                // Nothing for this slot (the least loaded yet: the queue is empty, or the slot is full) and no call
                // still reading its input: nothing for the next either. A chunk that did not fit beside this slot's
                // batch in one frame, or a suspect that cannot run beside its work, may still go to the next.
                if (!took && stop != Stop.ThisSlotOnly && queue.FeedingCalls == 0) break;
            }
        }
        return [.. batches.Select(b => (b.Key, b.Value.ToArray()))];
    }

    /// <summary>Why <see cref="Fill"/> stopped.</summary>
    private enum Stop
    {
        /// <summary>Nothing is queued, or the slot holds all it may: the same for every slot after it.</summary>
        ForAll,

        /// <summary>The next chunk does not fit beside this slot's batch in one frame, or is a suspect its process
        /// cannot take.</summary>
        ThisSlotOnly,
    }

    /// <summary>Adds chunks for <paramref name="slot"/> to <paramref name="batch"/>: up to one held when
    /// <paramref name="firstOnly"/>.</summary>
    private (bool Took, Stop Stop) Fill(Slot slot, List<Chunk> batch, bool firstOnly,
        HashSet<(Akka.Actor.Address, int)> suspectHolders)
    {
        var process = (slot.Actor.Path.Address, slot.Pid);
        var took = false;
        var stop = Stop.ForAll;
        long bytes = batch.Sum(c => (long)c.Payload.Length + 512);
        while (queue.TryTake(out var chunk))
        {
            var room = (firstOnly ? 1 : timings.MaxHeld(chunk.Function, chunk.Count)) - slot.Held.Count;
            var size = chunk.Payload.Length + 512;
            var suspect = inFlight.IsSuspect(chunk);
            var full = room <= 0;
            if (full || (batch.Count > 0 && bytes + size > budget.MaxPayload) ||
                (suspect && slots.At(process.Address, process.Pid).Any(s => s.Held.Count > 0)))
            {
                queue.PushFront(chunk);
                if (!full) stop = Stop.ThisSlotOnly;
                break;
            }
            inFlight.Assign(chunk, slot);
            batch.Add(chunk);
            took = true;
            bytes += size;
            if (!suspect) continue;
            suspectHolders.Add(process);
            break;
        }
        return (took, stop);
    }

    /// <summary>
    /// After planning: when a ready slot runs nothing and nothing is queued, the slots holding long chunks they have
    /// not started (their prefetch) are asked to hand them back, once each until they are heard from
    /// (<see cref="Heard"/>). The chunks then go to the idle slot.
    /// </summary>
    public List<Slot> ToReclaim(IReadOnlySet<Slot> ready)
    {
        // Only a slot that Plan would give a chunk to: one whose process runs a suspect gets none, and a chunk taken
        // back for it would go straight back to its holder, to be asked for again, for as long as the suspect ran.
        // The idle slot first: the queue's count walks every call still reading its input.
        var suspectHolders = inFlight.ProcessesHoldingSuspects();
        if (!slots.Taking.Any(s => s.Held.Count == 0 && ready.Contains(s)
            && !suspectHolders.Contains((s.Actor.Path.Address, s.Pid)))
            || queue.QueuedItems > 0) return [];
        var holders = slots.All.Where(s => s.Held.Count > 1 && !_reclaimAsked.Contains(s) &&
                                           s.Held.All(key => inFlight.ChunkOf(key) is { } c
                                               && !timings.IsShort(c.Function, c.Count))).ToList();
        _reclaimAsked.UnionWith(holders);
        return holders;
    }

    /// <summary>A result or a hand-back came from <paramref name="slot"/>: it may be asked to hand back
    /// again.</summary>
    public void Heard(Slot slot) => _reclaimAsked.Remove(slot);
}
