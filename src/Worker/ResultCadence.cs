using ClusterPool.Contracts.Messages;

namespace ClusterPool.Worker;

/// <summary>
/// When a running chunk sends the results it has so far: at least every <c>clusterpool.send-results-every</c> (1 s), so
/// a chunk of long items does not hold minutes of finished work that a lost worker or coordinator would throw away.
/// The pool re-runs only the items it has no result for, and its checkpoint stores each result as it arrives.
/// </summary>
internal sealed class ResultCadence
{
    private readonly long _everyMs;

    /// <param name="every">How often results so far are sent.</param>
    /// <param name="startAt">The chunk's first item to run (<see cref="Chunk.StartAt"/>): those before it count as
    /// sent.</param>
    public ResultCadence(TimeSpan every, int startAt = 0)
    {
        _everyMs = Math.Max(1, (long)every.TotalMilliseconds);
        Due = Environment.TickCount64 + _everyMs;
        Sent = startAt;
    }

    /// <summary>How many of the chunk's items have been sent.</summary>
    public int Sent { get; private set; }

    /// <summary>The <see cref="Environment.TickCount64"/> at which the next results are due.</summary>
    public long Due { get; private set; }

    /// <summary>True once the results so far are due.</summary>
    public bool IsDue => Environment.TickCount64 >= Due;

    /// <summary>Items <c>[0, count)</c> are sent; the next are due one period from now.</summary>
    public void SentUpTo(int count)
    {
        Sent = count;
        Due = Environment.TickCount64 + _everyMs;
    }
}
