using System.Collections.Concurrent;

namespace ClusterPool.Calls;

/// <summary>
/// The pool's calls for those who watch it (the dashboard, the metrics): every running call's progress, and the last
/// <see cref="KeptFinished"/> finished ones. Thread-safe.
/// </summary>
internal sealed class CallRegistry
{
    /// <summary>How many finished calls are kept.</summary>
    public const int KeptFinished = 20;

    private readonly ConcurrentDictionary<long, ProgressTracker> _calls = new();
    private readonly ConcurrentQueue<long> _finished = new();

    /// <summary>Adds a call; it moves to the finished ones when <paramref name="completion"/> ends.</summary>
    public void Add(long id, ProgressTracker progress, Task completion)
    {
        _calls[id] = progress;
        completion.ContinueWith(_ =>
        {
            _finished.Enqueue(id);
            while (_finished.Count > KeptFinished && _finished.TryDequeue(out var old)) _calls.TryRemove(
                old, out ProgressTracker? _);
        }, TaskScheduler.Default);
    }

    /// <summary>The calls' progress now, newest first.</summary>
    public List<CallProgress> Snapshot() => [.. _calls.Values.Select(c => c.Snapshot()).OrderByDescending(
        p => p.CallId)];
}
