namespace ClusterPool;

public abstract partial class PoolMethods
{
    /// <summary>
    /// Applies <paramref name="function"/> to every item on the workers and returns the results in input order
    /// (Python's <c>map</c>); blocks until done. Items travel in chunks of <paramref name="chunksize"/> (default: as
    /// many chunks as Python's rule, <c>ceil(len / (4 × Processes))</c>, makes, evenly sized). The input is read
    /// lazily; only results are held. The first failed item's exception is thrown, with the remote type, message and
    /// stack trace.
    /// </summary>
    public IReadOnlyList<R> Map<T, R>(Func<T, R> function, IEnumerable<T> items, int? chunksize = null) =>
        MapAsync(function, items, chunksize).Get();

    /// <summary>Starts a <see cref="Map{T,R}(Func{T,R},IEnumerable{T},int?)"/> without blocking (Python's
    /// <c>map_async</c>).</summary>
    public AsyncResult<IReadOnlyList<R>> MapAsync<T, R>(Func<T, R> function, IEnumerable<T> items,
        int? chunksize = null,
        Action<IReadOnlyList<R>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        MapCall<T, R>(function, items, chunksize, callback, errorCallback, cancellationToken);

    /// <summary>
    /// Like <see cref="Map{T,R}(Func{T,R},IEnumerable{T},int?)"/>, but streams the results in input order as they are
    /// ready (Python's <c>imap</c>;
    /// chunksize defaults to 1 as there). The input is read only as fast as results are taken.
    /// </summary>
    public IMapIterator<R> IMap<T, R>(Func<T, R> function, IEnumerable<T> items, int chunksize = 1,
        CancellationToken cancellationToken = default) =>
        CallForStream<T, R>(function, NotNull(items), chunksize, ordered: true, cancellationToken);

    /// <summary>Like <see cref="IMap{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/>, but yields results in the
    /// order they finish (Python's <c>imap_unordered</c>).</summary>
    public IMapIterator<R> IMapUnordered<T, R>(Func<T, R> function, IEnumerable<T> items, int chunksize = 1,
        CancellationToken cancellationToken = default) =>
        CallForStream<T, R>(function, NotNull(items), chunksize, ordered: false, cancellationToken);
}
