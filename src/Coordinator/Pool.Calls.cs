using ClusterPool.Jobs;

namespace ClusterPool;

public sealed partial class Pool
{
    /// <summary>
    /// Every list-shaped call (Apply, Map, StarMap and their async forms) goes through here. An item is its function's
    /// single argument when <paramref name="oneArgument"/> (Map), else its argument list (<c>object?[]</c>).
    /// </summary>
    private AsyncResult<TResult> CallForList<TItem, R, TResult>(Delegate function, IEnumerable<TItem> items, bool oneArgument,
        int chunksize, Func<List<R>, TResult> shape, Action<TResult>? callback, Action<Exception>? errorCallback,
        CancellationToken cancellationToken)
    {
        var reference = FunctionReference.From(function, nameof(function));
        var output = new ListOutput<R, TResult>(shape, callback, errorCallback);
        Submit(reference, items, oneArgument, chunksize, output, output.Task, gate: null, cancellationToken, out _);
        return new AsyncResult<TResult>(output.Task);
    }

    /// <summary>Every streamed call (IMap, IMapUnordered) goes through here; an item is the function's single argument.</summary>
    private IMapIterator<R> CallForStream<T, R>(Delegate function, IEnumerable<T> items, int chunksize, bool ordered,
        CancellationToken cancellationToken)
    {
        var reference = FunctionReference.From(function, nameof(function));
        ChunkSize.Checked(chunksize);
        var output = new StreamOutput<R>(ordered);
        // Read ahead at least two chunks, so a big chunksize still keeps the workers busy.
        var gate = new AheadGate(Math.Max(_maxResultsAhead, 2L * chunksize));
        var completion = output.Reader.Completion;
        Submit(reference, items, oneArgument: true, chunksize, output, completion, gate, cancellationToken, out var jobId);
        return new IMapIterator<R>(output, gate, () => Cancel(jobId, new OperationCanceledException("the iterator was disposed")));
    }

    /// <summary>Map's chunksize: the caller's, else Python's rule from the input's length when it is known without reading it.</summary>
    private int MapChunksize<T>(IEnumerable<T> items, int? chunksize) => chunksize is { } given
        ? ChunkSize.Checked(given)
        : ChunkSize.ForMap(items.TryGetNonEnumeratedCount(out var count) ? count : null, PoolSize, _unknownLengthChunksize);

    private static IReadOnlyList<R> AsList<R>(List<R> values) => values;

    private static R Single<R>(List<R> values) => values[0];

    private static object?[][] One(params object?[] args) => [args];

    private static IEnumerable<T> NotNull<T>(IEnumerable<T>? items) =>
        items ?? throw new ArgumentNullException(nameof(items), "the items to map over are null");
}
