using ClusterPool.Contracts.Messages;

namespace ClusterPool.Dispatch;

/// <summary>
/// Which slot holds which chunk. A result is accepted only from the chunk's current holder and only for items not yet
/// delivered, so a late result from a worker thought lost, or a re-run's repeat, never reaches the caller twice.
/// Plain class, driven by the coordinator actor only.
/// </summary>
internal sealed class InFlightTable
{
    private readonly Dictionary<ChunkKey, InFlight> _chunks = [];
    // so that ending one of 20,000 calls costs little
    private readonly Dictionary<long, HashSet<ChunkKey>> _byCall = [];
    // entries with a loss: while 0 (nearly always), the dispatcher's checks for them cost nothing
    private int _suspects;

    public int Count => _chunks.Count;

    /// <summary>How many chunks a slot holds now (the rest wait in the queue to run again).</summary>
    public int Held => _chunks.Values.Count(c => c.Holder is not null);

    /// <summary>The chunk in flight under <paramref name="key"/>, or null.</summary>
    public Chunk? ChunkOf(ChunkKey key) => _chunks.GetValueOrDefault(key)?.Chunk;

    /// <summary>Records that <paramref name="slot"/> now holds <paramref name="chunk"/>.</summary>
    public void Assign(Chunk chunk, Slot slot)
    {
        var key = ChunkKey.Of(chunk);
        if (!_chunks.TryGetValue(key, out var entry)) Add(entry = new InFlight(chunk));
        entry.Holder = slot;
        slot.Held.Add(key);
    }

    /// <summary>
    /// Checks a result part against the table: returns the entry when it comes from the holder and starts at the first
    /// undelivered item (after trimming what was already delivered), else null (drop it).
    /// </summary>
    public InFlight? Accept(ChunkResult part, Slot from, out int skip)
    {
        skip = 0;
        var key = new ChunkKey(part.CallId, part.ChunkId);
        if (!_chunks.TryGetValue(key, out var entry) || entry.Holder != from) return null;
        // a gap cannot happen on one connection; refuse rather than guess
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

    /// <summary>The slots that hold chunks of call <paramref name="callId"/> now.</summary>
    public List<Slot> HoldersOf(long callId) => !_byCall.TryGetValue(callId, out var keys) ? [] :
        keys.Select(k => _chunks[k].Holder).OfType<Slot>().Distinct().ToList();

    private void Add(InFlight entry)
    {
        var key = ChunkKey.Of(entry.Chunk);
        _chunks[key] = entry;
        if (!_byCall.TryGetValue(key.CallId, out var keys)) _byCall[key.CallId] = keys = [];
        keys.Add(key);
        if (entry.Suspect) _suspects++;
    }

    /// <summary>The chunk is complete: forget it and free its holder.</summary>
    public void Complete(ChunkKey key)
    {
        if (!_chunks.Remove(key, out var entry)) return;
        entry.Holder?.Held.Remove(key);
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
        if (!_chunks.TryGetValue(key, out var entry) || entry.Holder != from) return null;
        entry.Holder?.Held.Remove(key);
        entry.Holder = null;
        return entry;
    }

    /// <summary>
    /// The slot is gone: its chunks lose their holder and, when <paramref name="countLoss"/>, count one loss each
    /// (not when the worker said it was recycled for another chunk's sake). Returns them for re-queueing.
    /// </summary>
    public List<InFlight> LoseSlot(Slot slot, bool countLoss = true)
    {
        var lost = new List<InFlight>();
        foreach (var key in slot.Held)
        {
            if (!_chunks.TryGetValue(key, out var entry)) continue;
            entry.Holder = null;
            if (countLoss && entry.Losses++ == 0) _suspects++;
            lost.Add(entry);
        }
        slot.Held.Clear();
        return lost;
    }

    /// <summary>Forgets every chunk of a finished call.</summary>
    public void ForgetCall(long callId)
    {
        if (_byCall.TryGetValue(callId, out var keys))
            foreach (var key in keys.ToList()) Complete(key);
    }
}
