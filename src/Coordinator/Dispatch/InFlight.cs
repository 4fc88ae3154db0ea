using ClusterPool.Contracts.Messages;

namespace ClusterPool.Dispatch;

/// <summary>A chunk that has left the queue at least once and is not complete.</summary>
internal sealed class InFlight(Chunk chunk)
{
    public Chunk Chunk { get; } = chunk;

    /// <summary>The slot that runs it now, or null while it waits in the queue to run again.</summary>
    public Slot? Holder { get; set; }

    /// <summary>How many of its items' results have reached the call (parts arrive in order).</summary>
    public int Delivered { get; set; }

    /// <summary>How many workers were lost while holding it, in a row.</summary>
    public int Losses { get; set; }

    /// <summary>
    /// Lost with a worker before: it runs alone on a slot, so that if its worker is lost again, it is surely to blame
    /// (a slot that holds several chunks cannot say which one was running).
    /// </summary>
    public bool Suspect => Losses > 0;
}
