using ClusterPool.Contracts.Messages;
using ClusterPool.Jobs;

namespace ClusterPool.Dispatch;

/// <summary>
/// The chunks waiting for a slot: first those that must run again (their worker was lost or handed them back), then
/// new chunks from the calls' input feeders, oldest call first (Python's pool is one FIFO queue too).
/// Plain class, driven by the coordinator actor only.
/// </summary>
internal sealed class WorkQueue
{
    private readonly LinkedList<Chunk> _again = new();
    private readonly LinkedList<Job> _feeding = new(); // thousands of ApplyAsync calls: removal must be O(1)

    /// <summary>Calls whose input may still yield chunks.</summary>
    public int FeedingJobs => _feeding.Count;

    public void AddJob(Job job) => _feeding.AddLast(job);

    /// <summary>Items waiting for a slot: chunks to run again, and chunks the feeders have read ahead.</summary>
    public long QueuedItems => _again.Sum(c => (long)c.Count) + _feeding.Sum(job => job.Feeder.ReadyItems);

    /// <summary>Puts a chunk at the front, to be taken next.</summary>
    public void PushFront(Chunk chunk) => _again.AddFirst(chunk);

    /// <summary>
    /// Takes the next chunk of an unfinished call. <paramref name="onFed"/> hears of everything else a feeder gives (an
    /// input that ended, a result restored from the checkpoint); <paramref name="waitForInput"/> is asked to wake the
    /// coordinator when a feeder that had nothing ready has some.
    /// </summary>
    public bool TryTake(Func<long, Job?> jobOf, Action<Job, FeedItem> onFed, Action<Job> waitForInput, out Chunk chunk)
    {
        while (_again.First is { } first)
        {
            _again.RemoveFirst();
            if (jobOf(first.Value.JobId) is { Finished: false })
            {
                chunk = first.Value;
                return true;
            }
        }

        for (var node = _feeding.First; node is not null;)
        {
            var job = node.Value;
            var next = node.Next;
            while (!job.Finished && job.Feeder.TryTake(out var item))
            {
                if (item is ChunkReady ready) { chunk = ready.Chunk; return true; }
                onFed(job, item);
                if (item is InputEnded) break;
            }
            if (job.Finished || job.InputDone) _feeding.Remove(node);
            else waitForInput(job);
            node = next;
        }
        chunk = null!;
        return false;
    }
}
