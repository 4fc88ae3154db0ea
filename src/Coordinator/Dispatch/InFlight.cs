using ClusterPool.Contracts.Messages;

namespace ClusterPool.Dispatch;

/// <summary>A chunk that has left the queue at least once and is not complete.</summary>
internal sealed class InFlight(Chunk chunk)
{
    public Chunk Chunk { get; } = chunk;

    /// <summary>The copy that runs it now, or null while it waits in the queue to run again.</summary>
    public ChunkCopy? First { get; set; }

    /// <summary>A second copy on another slot (speculation: <c>PoolOptions.Speculation</c>), or null.</summary>
    public ChunkCopy? Backup { get; set; }

    /// <summary>The slot that runs it now, or null while it waits in the queue to run again.</summary>
    public Slot? Holder => First?.Slot;

    /// <summary>True once one of two copies ended without finishing it (failed, lost, handed back): it gets no other
    /// backup, so a copy that fails is not started again and again while the first runs.</summary>
    public bool BackupSpent { get; set; }

    /// <summary>How many of its items' results have reached the call (parts arrive in order).</summary>
    public int Delivered { get; set; }

    /// <summary>How many workers were lost while holding it, in a row.</summary>
    public int Losses { get; set; }

    /// <summary>
    /// Lost with a worker before: it runs alone on a slot, so that if its worker is lost again, it is surely to blame
    /// (a slot that holds several chunks cannot say which one was running).
    /// </summary>
    public bool Suspect => Losses > 0;

    /// <summary>The copy that <paramref name="slot"/> runs, or null.</summary>
    public ChunkCopy? CopyOn(Slot slot) => First?.Slot == slot ? First : Backup?.Slot == slot ? Backup : null;

    /// <summary>The other copy than <paramref name="copy"/>, or null.</summary>
    public ChunkCopy? Other(ChunkCopy copy) => copy == First ? Backup : First;
}

/// <summary>One run of a chunk on one slot.</summary>
/// <param name="slot">Where it runs.</param>
/// <param name="startAt">Its first item (<see cref="Chunk.StartAt"/>).</param>
/// <param name="sentAt">When it was sent (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</param>
/// <param name="order">The slot runs its chunks in the order they were sent: this one's place.</param>
internal sealed class ChunkCopy(Slot slot, int startAt, long sentAt, long order)
{
    public Slot Slot { get; } = slot;
    public int StartAt { get; } = startAt;
    public long SentAt { get; } = sentAt;
    public long Order { get; } = order;

    /// <summary>How far this copy's own results have reached (an offset in the chunk).</summary>
    public int Reached { get; set; } = startAt;

    /// <summary>When it began to run, as <see cref="StragglerWatch"/> judged it (a timestamp); 0 until then.</summary>
    public long RunningSince { get; set; }
}
