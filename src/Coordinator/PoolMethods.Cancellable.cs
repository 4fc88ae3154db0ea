namespace ClusterPool;

// The same methods for functions whose last parameter is a CancellationToken. The caller does not pass it: the worker
// does, and cancels it when the call's cancellationToken is cancelled, when the call ends early (an IMap disposed,
// Terminate), or when the item's task timeout passes (CallOptions.TaskTimeout). Ray and Dask users know this as
// cooperative cancellation: the function checks the token, or passes it on to I/O.
public abstract partial class PoolMethods
{
    /// <summary><see cref="Map{T,R}(Func{T,R},IEnumerable{T},int?)"/> for a function that takes a
    /// <see cref="CancellationToken"/> (passed by the worker).</summary>
    public IReadOnlyList<R> Map<T, R>(Func<T, CancellationToken, R> function, IEnumerable<T> items,
        int? chunksize = null) =>
        MapAsync(function, items, chunksize).Get();

    /// <summary><see cref="MapAsync{T,R}(Func{T,R},IEnumerable{T},int?,Action{IReadOnlyList{R}}?,Action{Exception}?,
    /// CancellationToken)"/> for a function that takes a <see cref="CancellationToken"/>.</summary>
    public AsyncResult<IReadOnlyList<R>> MapAsync<T, R>(Func<T, CancellationToken, R> function, IEnumerable<T> items,
        int? chunksize = null,
        Action<IReadOnlyList<R>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        MapCall<T, R>(function, items, chunksize, callback, errorCallback, cancellationToken);

    /// <summary><see cref="IMap{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for a function that takes a
    /// <see cref="CancellationToken"/>.</summary>
    public IMapIterator<R> IMap<T, R>(Func<T, CancellationToken, R> function, IEnumerable<T> items, int chunksize = 1,
        CancellationToken cancellationToken = default) =>
        CallForStream<T, R>(function, NotNull(items), chunksize, ordered: true, cancellationToken);

    /// <summary><see cref="IMapUnordered{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for a function that
    /// takes a <see cref="CancellationToken"/>.</summary>
    public IMapIterator<R> IMapUnordered<T, R>(Func<T, CancellationToken, R> function, IEnumerable<T> items,
        int chunksize = 1,
        CancellationToken cancellationToken = default) =>
        CallForStream<T, R>(function, NotNull(items), chunksize, ordered: false, cancellationToken);

    /// <summary><see cref="Apply{R}(Func{R})"/> for a function that takes a <see cref="CancellationToken"/>.</summary>
    public R Apply<R>(Func<CancellationToken, R> function) => ApplyAsync(function).Get();

    /// <summary><see cref="Apply{T1,R}(Func{T1,R},T1)"/> for a function that takes a
    /// <see cref="CancellationToken"/>.</summary>
    public R Apply<T1, R>(Func<T1, CancellationToken, R> function, T1 a1) => ApplyAsync(function, a1).Get();

    /// <summary><see cref="Apply{T1,T2,R}(Func{T1,T2,R},T1,T2)"/> for a function that takes a
    /// <see cref="CancellationToken"/>.</summary>
    public R Apply<T1, T2, R>(Func<T1, T2, CancellationToken, R> function, T1 a1, T2 a2) =>
        ApplyAsync(function, a1, a2).Get();

    /// <summary><see cref="ApplyAsync{R}(Func{R},Action{R}?,Action{Exception}?,CancellationToken)"/> for a function
    /// that takes a <see cref="CancellationToken"/>.</summary>
    public AsyncResult<R> ApplyAsync<R>(Func<CancellationToken, R> function, Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,R}(Func{T1,R},T1,Action{R}?,Action{Exception}?,CancellationToken)"/> for a
    /// function that takes a <see cref="CancellationToken"/>.</summary>
    public AsyncResult<R> ApplyAsync<T1, R>(Func<T1, CancellationToken, R> function, T1 a1, Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(a1), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,T2,R}(Func{T1,T2,R},T1,T2,Action{R}?,Action{Exception}?,CancellationToken)"/>
    /// for a function that takes a <see cref="CancellationToken"/>.</summary>
    public AsyncResult<R> ApplyAsync<T1, T2, R>(Func<T1, T2, CancellationToken, R> function, T1 a1, T2 a2,
        Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(a1, a2), callback, errorCallback, cancellationToken);

    /// <summary><see cref="StarMap{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?)"/> for a function that
    /// takes a <see cref="CancellationToken"/>.</summary>
    public IReadOnlyList<R> StarMap<T1, T2, R>(Func<T1, T2, CancellationToken, R> function, IEnumerable<(T1, T2)> items,
        int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary><see cref="StarMapAsync{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?,
    /// Action{IReadOnlyList{R}}?,Action{Exception}?,CancellationToken)"/> for a function that takes a
    /// <see cref="CancellationToken"/>.</summary>
    public AsyncResult<IReadOnlyList<R>> StarMapAsync<T1, T2,
        R>(Func<T1, T2, CancellationToken, R> function, IEnumerable<(T1, T2)> items,
        int? chunksize = null, Action<IReadOnlyList<R>>? callback = null, Action<Exception>? errorCallback = null,
        CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2), R>(function, items, t => [t.Item1, t.Item2], chunksize, callback, errorCallback,
            cancellationToken);
}
