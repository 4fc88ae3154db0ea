using System.Diagnostics;
using ClusterPool.Contracts.Messages;

namespace ClusterPool.Dispatch;

/// <summary>
/// Which slot holds which chunk (and which second slot runs a backup copy of it, see <see cref="StragglerWatch"/>). A
/// result is accepted only from a copy the chunk has now and only for items not yet delivered, so a late result from a
/// worker thought lost, a re-run's repeat, or the slower of two copies never reaches the caller twice. Plain class,
/// driven by the coordinator actor only.
/// </summary>
internal sealed class InFlightTable
{
    // each copy's place in its slot's order (a slot runs what it holds in the order it was sent)
    private long _sent;
    private readonly Dictionary<ChunkKey, InFlight> _chunks = [];
    // so that ending one of 20,000 calls costs little
    private readonly Dictionary<long, HashSet<ChunkKey>> _byCall = [];
    // entries with a loss: while 0 (nearly always), the dispatcher's checks for them cost nothing
    private int _suspects;

    public int Count => _chunks.Count;

    /// <summary>How many chunks a slot holds now (the rest wait in the queue to run again).</summary>
    public int Held => _chunks.Values.Count(c => c.Holder is not null);

    /// <summary>True while <paramref name="slot"/> runs on a chunk of a forgotten call (see
    /// <see cref="ForgetCall"/>).</summary>
    public bool RunsForgotten(Slot slot) => slot.Held.Count > 0 && slot.Held.Any(key => !_chunks.ContainsKey(key));

    /// <summary>The chunk in flight under <paramref name="key"/>, or null.</summary>
    public Chunk? ChunkOf(ChunkKey key) => _chunks.GetValueOrDefault(key)?.Chunk;

    /// <summary>Records that <paramref name="slot"/> now holds <paramref name="chunk"/>.</summary>
    public void Assign(Chunk chunk, Slot slot)
    {
        var key = ChunkKey.Of(chunk);
        if (!_chunks.TryGetValue(key, out var entry)) Add(entry = new InFlight(chunk));
        entry.First = new ChunkCopy(slot, chunk.StartAt, Stopwatch.GetTimestamp(), ++_sent);
        slot.Held.Add(key);
    }

    /// <summary>
    /// Records a backup copy of <paramref name="entry"/> on <paramref name="slot"/>, from its first undelivered item;
    /// returns the chunk to send.
    /// </summary>
    public Chunk AddBackup(InFlight entry, Slot slot)
    {
        entry.Backup = new ChunkCopy(slot, entry.Delivered, Stopwatch.GetTimestamp(), ++_sent);
        slot.Held.Add(ChunkKey.Of(entry.Chunk));
        return entry.Chunk with { StartAt = entry.Delivered };
    }

    /// <summary>
    /// The chunks each slot runs now (the first it was sent of those it holds), with when it began (when it was sent,
    /// or when the slot finished the one before it, whichever is later): what <see cref="StragglerWatch"/> looks at.
    /// </summary>
    public List<(InFlight Entry, ChunkCopy Copy, long Since)> Running()
    {
        var bySlot = new Dictionary<Slot, (InFlight Entry, ChunkCopy Copy)>();
        foreach (var entry in _chunks.Values)
        foreach (var copy in new[] { entry.First, entry.Backup })
        {
            if (copy is null) continue;
            if (!bySlot.TryGetValue(copy.Slot, out var seen) || copy.Order < seen.Copy.Order)
                bySlot[copy.Slot] = (entry, copy);
        }
        return [.. bySlot.Select(s => (s.Value.Entry, s.Value.Copy, Math.Max(s.Value.Copy.SentAt, s.Key.FreedAt)))];
    }

    /// <summary>
    /// Checks a result part against the table: returns the entry when it comes from one of the chunk's copies and
    /// starts at the first undelivered item or before (what was already delivered is to be skipped), else null (drop
    /// it).
    /// </summary>
    public InFlight? Accept(ChunkResult part, Slot from, out int skip)
    {
        skip = 0;
        var key = new ChunkKey(part.CallId, part.ChunkId);
        if (!_chunks.TryGetValue(key, out var entry))
        {
            // the last part of a forgotten call's chunk that its slot ran on (ForgetCall): the slot is free now
            if (part.Complete || part.Error is not null) Free(from, key, running: true);
            return null;
        }
        if (entry.CopyOn(from) is null) return null;
        // a gap cannot happen on one connection (a backup starts at or before what is delivered); refuse rather than
        // guess
        if (part.Offset > entry.Delivered) return null;
        skip = entry.Delivered - part.Offset;
        return entry;
    }

    /// <summary>True when <paramref name="chunk"/> was lost with a worker before (see
    /// <see cref="InFlight.Suspect"/>).</summary>
    public bool IsSuspect(Chunk chunk) => _suspects > 0 && _chunks.TryGetValue(ChunkKey.Of(chunk), out var entry)
        && entry.Suspect;

    /// <summary>True when <paramref name="slot"/> runs a suspect chunk.</summary>
    public bool HoldsSuspect(Slot slot) => slot.Held.Any(key => _chunks.TryGetValue(key, out var entry)
        && entry.Suspect);

    /// <summary>The worker processes (address, pid) running a suspect chunk: they get nothing else until it is
    /// done.</summary>
    public HashSet<(Akka.Actor.Address Address, int Pid)> ProcessesHoldingSuspects() => _suspects == 0 ? [] :
        [.. _chunks.Values.Where(c => c.Suspect && c.Holder is not null).Select(
            c => (c.Holder!.Actor.Path.Address, c.Holder.Pid))];

    /// <summary>
    /// Replaces a lost chunk by <paramref name="pieces"/> cut from its undelivered items; each inherits its losses.
    /// </summary>
    public void Replace(InFlight entry, IEnumerable<Chunk> pieces)
    {
        Complete(ChunkKey.Of(entry.Chunk));
        foreach (var piece in pieces) Add(new InFlight(piece) { Losses = entry.Losses });
    }

    /// <summary>The slots that hold chunks of call <paramref name="callId"/> now (backup copies too).</summary>
    public List<Slot> HoldersOf(long callId) => !_byCall.TryGetValue(callId, out var keys) ? [] :
        keys.SelectMany(k => new[] { _chunks[k].Holder, _chunks[k].Backup?.Slot }).OfType<Slot>().Distinct().ToList();

    private void Add(InFlight entry)
    {
        var key = ChunkKey.Of(entry.Chunk);
        _chunks[key] = entry;
        if (!_byCall.TryGetValue(key.CallId, out var keys)) _byCall[key.CallId] = keys = [];
        keys.Add(key);
        if (entry.Suspect) _suspects++;
    }

    /// <summary>The chunk is complete: forget it and free its holders.</summary>
    public void Complete(ChunkKey key)
    {
        if (!_chunks.Remove(key, out var entry)) return;
        if (entry.First is { } first) Free(first.Slot, key, running: true);
        if (entry.Backup is { } backup) Free(backup.Slot, key, running: true);
        if (entry.Suspect) _suspects--;
        if (_byCall.TryGetValue(key.CallId, out var keys) && keys.Remove(key) && keys.Count == 0) _byCall.Remove(
            key.CallId);
    }

    /// <summary>
    /// Takes back a chunk from <paramref name="from"/> without counting a loss (handed back by a retiring worker). Null
    /// when that slot no longer holds it: the hand-back came after its process's exit, and the chunk already runs
    /// elsewhere — as a late result, it must not take the chunk from its new holder.
    /// </summary>
    public InFlight? Release(ChunkKey key, Slot from)
    {
        if (!_chunks.TryGetValue(key, out var entry))
        {
            Free(from, key, running: true); // a forgotten call's chunk that its slot ran on (ForgetCall) stopped
            return null;
        }
        if (entry.CopyOn(from) is null) return null;
        // the other copy runs on: nothing to run again. A hand-back is of a chunk not started (or stopped): what the
        // slot runs next did not begin now.
        if (EndCopy(entry, from, running: false)) return null;
        return entry;
    }

    /// <summary>
    /// The copy of <paramref name="entry"/> on <paramref name="slot"/> ended without completing the chunk (handed back,
    /// failed at an item the other copy got past, or lost): the other copy, if any, runs on as the chunk's first.
    /// Returns true when one does.
    /// </summary>
    public bool EndCopy(InFlight entry, Slot slot, bool running = true)
    {
        if (entry.CopyOn(slot) is not { } copy) return entry.First is not null;
        Free(slot, ChunkKey.Of(entry.Chunk), running);
        entry.First = entry.Other(copy);
        entry.BackupSpent |= entry.Backup is not null;
        entry.Backup = null;
        return entry.First is not null;
    }

    /// <summary>
    /// The slot is gone: its chunks lose their holder and, when <paramref name="countLoss"/>, count one loss each
    /// (not when the worker said it was recycled for another chunk's sake). Returns them for re-queueing.
    /// </summary>
    public List<InFlight> LoseSlot(Slot slot, bool countLoss = true)
    {
        var lost = new List<InFlight>();
        foreach (var key in slot.Held.ToList())
        {
            if (!_chunks.TryGetValue(key, out var entry)) continue;
            // A chunk with a copy elsewhere runs on there, not again; its loss is not charged then (it would make a
            // suspect of a chunk that runs beside others, and a second loss would fail all its items, not the culprit:
            // charged from the next loss, it runs item by item as any lost chunk does).
            if (EndCopy(entry, slot)) continue;
            if (countLoss && entry.Losses++ == 0) _suspects++;
            lost.Add(entry);
        }
        slot.Held.Clear();
        return lost;
    }

    /// <summary>The slot no longer holds the chunk; when it was the one it ran, what it holds next begins
    /// now.</summary>
    private static void Free(Slot slot, ChunkKey key, bool running)
    {
        if (slot.Held.Remove(key) && running) slot.FreedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Forgets every chunk of a finished call. A slot that runs one of them still counts it as held until its worker
    /// says the chunk ended (its last part or a hand-back, see <see cref="Accept"/> and <see cref="Release"/>) or the
    /// slot is lost: a cancelled task that ignores its token goes on running, and work sent to its slot waited behind
    /// it while other slots stood idle.
    /// </summary>
    public void ForgetCall(long callId)
    {
        if (!_byCall.TryGetValue(callId, out var keys)) return;
        var running = Running().Select(run => (run.Copy.Slot, Key: ChunkKey.Of(run.Entry.Chunk)))
            .Where(run => run.Key.CallId == callId).ToList();
        foreach (var key in keys.ToList()) Complete(key);
        foreach (var (slot, key) in running) slot.Held.Add(key);
    }
}
