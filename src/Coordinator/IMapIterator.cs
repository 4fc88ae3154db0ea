using System.Collections;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using ClusterPool.Calls;

namespace ClusterPool;

/// <summary>
/// Results of <c>IMap</c> (input order) or <c>IMapUnordered</c> (completion order) as they arrive: Python's
/// <c>IMapIterator</c>. Enumerate it with <c>foreach</c> or <c>await foreach</c>, or call <see cref="Next"/>; as in
/// Python, each result is taken once, and a new loop (or LINQ's <c>Take</c>) goes on where the last one left off.
/// <c>await foreach</c> works on it directly; <see cref="AsAsyncEnumerable"/> gives an
/// <see cref="IAsyncEnumerable{T}"/> (it is not one itself, so that LINQ on it stays unambiguous). A failed item raises
/// its exception in its place (after every result before it, for IMap), and the iteration goes on, as in Python: the
/// next <see cref="Next"/> returns the next result. In a <c>foreach</c>, the exception leaves the loop; to go on past
/// failures, call <see cref="Next"/> in a loop and catch per item. Leaving a loop early does not stop the call (as in
/// Python); disposing the iterator (<c>using</c>) does: chunks not yet run are dropped and no more input is read. The
/// input is read only as results are taken, so memory stays flat over any input size (until <see cref="Pool.Join"/>,
/// which lets the call run to its end).
/// </summary>
public sealed class IMapIterator<T> : IEnumerable<T>, IDisposable
{
    private readonly StreamOutput<T> _output;
    private readonly AheadGate _gate;
    private readonly Action _cancel;
    private readonly ProgressTracker _progress;
    private readonly ProgressEvents _progressEvents;
    // Read and written by every thread that reads the iterator.
    private volatile bool _ended, _disposed;

    internal IMapIterator(StreamOutput<T> output, AheadGate gate, Action cancel, ProgressTracker progress)
    {
        _output = output;
        _gate = gate;
        _cancel = cancel;
        _progress = progress;
        _progressEvents = new ProgressEvents(this, progress);
    }

    /// <summary>How far the call has come now (items whose results arrived, taken or not).</summary>
    public CallProgress Progress => _progress.Snapshot();

    /// <summary>Raised as the call's items finish (at most every 100 ms) and once when it is over, on a thread-pool
    /// thread.</summary>
    public event EventHandler<CallProgress>? ProgressChanged
    {
        add => _progressEvents.Add(value);
        remove => _progressEvents.Remove(value);
    }

    /// <summary>
    /// The next result (Python's <c>next(timeout)</c>). Throws <see cref="TimeoutException"/> if none arrives within
    /// <paramref name="timeout"/>, the item's exception if it failed (the following call returns the next item's
    /// result), <see cref="InvalidOperationException"/> after the last result, and
    /// <see cref="OperationCanceledException"/> once the iterator is disposed. Several threads may call it at once:
    /// each result goes to one of them.
    /// </summary>
    public T Next(TimeSpan? timeout = null)
    {
        if (!TryNext(Timeouts.ForWait(timeout, nameof(timeout)), out var value, out var timedOut))
            throw timedOut ? new TimeoutException($"no result within {timeout}") : new InvalidOperationException(
                "there are no more results");
        return value;
    }

    private bool TryNext(TimeSpan? timeout, out T value, out bool timedOut)
    {
        value = default!;
        timedOut = false;
        ThrowIfDisposed();
        var reader = _output.Reader;
        var clock = Stopwatch.StartNew();
        StreamEntry<T> entry;
        while (!reader.TryRead(out entry))
        {
            if (_ended) return false;
            var wait = reader.WaitToReadAsync().AsTask();
            var left = timeout - clock.Elapsed;
            if (left is { } l ? !wait.Wait(l < TimeSpan.Zero ? TimeSpan.Zero : l) : !Block(wait))
            {
                timedOut = true;
                return false;
            }
            // Only a completed channel ends the results: a result this reader woke for may have gone to another
            // thread reading the same iterator (Python's next() may be called from several), and then it waits again.
            if (!wait.Result) _ended = true;
        }
        return Take(entry, out value);
    }

    private static bool Block(Task task) { task.Wait(); return true; }

    private bool Take(StreamEntry<T> entry, out T value)
    {
        _gate.OnConsumed();
        // A failed item's exception, in its place; the next call returns the next result, as Python's next() does.
        // (The error that ends a stream is its last entry: after it, the channel is complete.)
        if (entry.Error is { } error) ExceptionDispatchInfo.Capture(error).Throw();
        value = entry.Value;
        return true;
    }

    /// <summary>Enumerates the results, blocking for each, from where the last enumeration or <see cref="Next"/> left
    /// off.</summary>
    public IEnumerator<T> GetEnumerator()
    {
        while (TryNext(null, out var value, out _)) yield return value;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The results as an <see cref="IAsyncEnumerable{T}"/>, for async LINQ and APIs that take one.</summary>
    public IAsyncEnumerable<T> AsAsyncEnumerable() => new AsyncView(this);

    /// <summary>
    /// The results for <c>await foreach</c> with <paramref name="cancellationToken"/>: a cancel ends the loop's wait
    /// with <see cref="OperationCanceledException"/> (the call goes on; dispose the iterator to stop it). As
    /// <c>AsAsyncEnumerable().WithCancellation(token)</c>; here, since LINQ's own <c>WithCancellation</c> (PLINQ's)
    /// would be found first on an <see cref="IEnumerable{T}"/>.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait for the next result.</param>
    public ConfiguredCancelableAsyncEnumerable<T> WithCancellation(CancellationToken cancellationToken) =>
        AsAsyncEnumerable().WithCancellation(cancellationToken);

    private sealed class AsyncView(IMapIterator<T> iterator) : IAsyncEnumerable<T>
    {
        public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
            iterator.GetAsyncEnumerator(cancellationToken);
    }

    /// <summary>Enumerates the results asynchronously (<c>await foreach</c>), from where the last enumeration or
    /// <see cref="Next"/> left off.</summary>
    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var reader = _output.Reader;
        while (true)
        {
            // Disposed meanwhile (by the loop's body, or another thread): it throws, as Next and foreach do; results
            // already here went on coming, and the loop then ended as if the call had.
            ThrowIfDisposed();
            if (reader.TryRead(out var entry))
            {
                Take(entry, out var value);
                yield return value;
            }
            else if (_ended || !await reader.WaitToReadAsync(cancellationToken)) break;
        }
        _ended = true;
    }

    /// <summary>Stops the call: chunks not yet run are dropped and no more input is read. Reading on afterwards throws
    /// <see cref="OperationCanceledException"/>.</summary>
    public void Dispose()
    {
        if (!_ended) _cancel();
        _ended = _disposed = true;
    }

    private void ThrowIfDisposed()
    {
        if (_disposed) throw new OperationCanceledException("this IMap call was cancelled: its iterator was disposed");
    }
}
