namespace ClusterPool;

// Functions that return a ValueTask<R>: awaited on the worker, as a Task<R> is; the call gives the result.
public abstract partial class PoolMethods
{
    /// <summary><see cref="Map{T,R}(Func{T,R},IEnumerable{T},int?)"/> for a function returning
    /// <see cref="ValueTask{TResult}"/>: awaited on the worker.</summary>
    public IReadOnlyList<R> Map<T, R>(Func<T, ValueTask<R>> function, IEnumerable<T> items, int? chunksize = null) =>
        MapAsync(function, items, chunksize).Get();

    /// <summary><see cref="MapAsync{T,R}(Func{T,R},IEnumerable{T},int?,Action{IReadOnlyList{R}}?,Action{Exception}?,
    /// CancellationToken)"/> for a function returning <see cref="ValueTask{TResult}"/>: awaited on the
    /// worker.</summary>
    public AsyncResult<IReadOnlyList<R>> MapAsync<T, R>(Func<T, ValueTask<R>> function, IEnumerable<T> items,
        int? chunksize = null,
        Action<IReadOnlyList<R>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        MapCall<T, R>(function, items, chunksize, callback, errorCallback, cancellationToken);

    /// <summary><see cref="IMap{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for a function returning
    /// <see cref="ValueTask{TResult}"/>: awaited on the worker.</summary>
    public IMapIterator<R> IMap<T, R>(Func<T, ValueTask<R>> function, IEnumerable<T> items, int chunksize = 1,
        CancellationToken cancellationToken = default) =>
        CallForStream<T, R>(function, NotNull(items), chunksize, ordered: true, cancellationToken);

    /// <summary><see cref="IMapUnordered{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for a function
    /// returning <see cref="ValueTask{TResult}"/>: awaited on the worker.</summary>
    public IMapIterator<R> IMapUnordered<T, R>(Func<T, ValueTask<R>> function, IEnumerable<T> items, int chunksize = 1,
        CancellationToken cancellationToken = default) =>
        CallForStream<T, R>(function, NotNull(items), chunksize, ordered: false, cancellationToken);

    /// <summary><see cref="Apply{R}(Func{R})"/> for a function returning <see cref="ValueTask{TResult}"/>: awaited on
    /// the worker.</summary>
    public R Apply<R>(Func<ValueTask<R>> function) => ApplyAsync(function).Get();

    /// <summary><see cref="Apply{T1,R}(Func{T1,R},T1)"/> for a function returning <see cref="ValueTask{TResult}"/>:
    /// awaited on the worker.</summary>
    public R Apply<T1, R>(Func<T1, ValueTask<R>> function, T1 a1) => ApplyAsync(function, a1).Get();

    /// <summary><see cref="Apply{T1,T2,R}(Func{T1,T2,R},T1,T2)"/> for a function returning
    /// <see cref="ValueTask{TResult}"/>: awaited on the worker.</summary>
    public R Apply<T1, T2, R>(Func<T1, T2, ValueTask<R>> function, T1 a1, T2 a2) => ApplyAsync(function, a1, a2).Get();

    /// <summary><see cref="Apply{T1,T2,T3,R}(Func{T1,T2,T3,R},T1,T2,T3)"/> for a function returning
    /// <see cref="ValueTask{TResult}"/>: awaited on the worker.</summary>
    public R Apply<T1, T2, T3, R>(Func<T1, T2, T3, ValueTask<R>> function, T1 a1, T2 a2, T3 a3) =>
        ApplyAsync(function, a1, a2, a3).Get();

    /// <summary><see cref="Apply{T1,T2,T3,T4,R}(Func{T1,T2,T3,T4,R},T1,T2,T3,T4)"/> for a function returning
    /// <see cref="ValueTask{TResult}"/>: awaited on the worker.</summary>
    public R Apply<T1, T2, T3, T4, R>(Func<T1, T2, T3, T4, ValueTask<R>> function, T1 a1, T2 a2, T3 a3, T4 a4) =>
        ApplyAsync(function, a1, a2, a3, a4).Get();

    /// <summary><see cref="ApplyAsync{R}(Func{R},Action{R}?,Action{Exception}?,CancellationToken)"/> for a function
    /// returning <see cref="ValueTask{TResult}"/>: awaited on the worker.</summary>
    public AsyncResult<R> ApplyAsync<R>(Func<ValueTask<R>> function, Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,R}(Func{T1,R},T1,Action{R}?,Action{Exception}?,CancellationToken)"/> for a
    /// function returning <see cref="ValueTask{TResult}"/>: awaited on the worker.</summary>
    public AsyncResult<R> ApplyAsync<T1, R>(Func<T1, ValueTask<R>> function, T1 a1, Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(a1), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,T2,R}(Func{T1,T2,R},T1,T2,Action{R}?,Action{Exception}?,CancellationToken)"/>
    /// for a function returning <see cref="ValueTask{TResult}"/>: awaited on the worker.</summary>
    public AsyncResult<R> ApplyAsync<T1, T2, R>(Func<T1, T2, ValueTask<R>> function, T1 a1, T2 a2,
        Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(a1, a2), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,T2,T3,R}(Func{T1,T2,T3,R},T1,T2,T3,Action{R}?,Action{Exception}?,
    /// CancellationToken)"/> for a function returning <see cref="ValueTask{TResult}"/>: awaited on the
    /// worker.</summary>
    public AsyncResult<R> ApplyAsync<T1, T2, T3, R>(Func<T1, T2, T3, ValueTask<R>> function, T1 a1, T2 a2, T3 a3,
        Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(a1, a2, a3), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,T2,T3,T4,R}(Func{T1,T2,T3,T4,R},T1,T2,T3,T4,Action{R}?,Action{Exception}?,
    /// CancellationToken)"/> for a function returning <see cref="ValueTask{TResult}"/>: awaited on the
    /// worker.</summary>
    public AsyncResult<R> ApplyAsync<T1, T2, T3, T4, R>(Func<T1, T2, T3, T4, ValueTask<R>> function, T1 a1, T2 a2,
        T3 a3, T4 a4, Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(a1, a2, a3, a4), callback, errorCallback, cancellationToken);

    /// <summary><see cref="StarMap{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?)"/> for a function
    /// returning <see cref="ValueTask{TResult}"/>: awaited on the worker.</summary>
    public IReadOnlyList<R> StarMap<T1, T2, R>(Func<T1, T2, ValueTask<R>> function, IEnumerable<(T1, T2)> items,
        int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary><see cref="StarMap{T1,T2,T3,R}(Func{T1,T2,T3,R},IEnumerable{ValueTuple{T1,T2,T3}},int?)"/> for a
    /// function returning <see cref="ValueTask{TResult}"/>: awaited on the worker.</summary>
    public IReadOnlyList<R> StarMap<T1, T2, T3, R>(Func<T1, T2, T3, ValueTask<R>> function,
        IEnumerable<(T1, T2, T3)> items, int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary><see cref="StarMap{T1,T2,T3,T4,R}(Func{T1,T2,T3,T4,R},IEnumerable{ValueTuple{T1,T2,T3,T4}},int?)"/> for
    /// a function returning <see cref="ValueTask{TResult}"/>: awaited on the worker.</summary>
    public IReadOnlyList<R> StarMap<T1, T2, T3, T4, R>(Func<T1, T2, T3, T4, ValueTask<R>> function,
        IEnumerable<(T1, T2, T3, T4)> items, int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary><see cref="StarMapAsync{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?,
    /// Action{IReadOnlyList{R}}?,Action{Exception}?,CancellationToken)"/> for a function returning
    /// <see cref="ValueTask{TResult}"/>: awaited on the worker.</summary>
    public AsyncResult<IReadOnlyList<R>> StarMapAsync<T1, T2,
        R>(Func<T1, T2, ValueTask<R>> function, IEnumerable<(T1, T2)> items, int? chunksize = null,
        Action<IReadOnlyList<R>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2), R>(function, items, t => [t.Item1, t.Item2], chunksize, callback, errorCallback,
            cancellationToken);

    /// <summary><see cref="StarMapAsync{T1,T2,T3,R}(Func{T1,T2,T3,R},IEnumerable{ValueTuple{T1,T2,T3}},int?,
    /// Action{IReadOnlyList{R}}?,Action{Exception}?,CancellationToken)"/> for a function returning
    /// <see cref="ValueTask{TResult}"/>: awaited on the worker.</summary>
    public AsyncResult<IReadOnlyList<R>> StarMapAsync<T1, T2, T3,
        R>(Func<T1, T2, T3, ValueTask<R>> function, IEnumerable<(T1, T2, T3)> items, int? chunksize = null,
        Action<IReadOnlyList<R>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2, T3), R>(function, items, t => [t.Item1, t.Item2, t.Item3], chunksize, callback, errorCallback,
            cancellationToken);

    /// <summary><see cref="StarMapAsync{T1,T2,T3,T4,R}(Func{T1,T2,T3,T4,R},IEnumerable{ValueTuple{T1,T2,T3,T4}},int?,
    /// Action{IReadOnlyList{R}}?,Action{Exception}?,CancellationToken)"/> for a function returning
    /// <see cref="ValueTask{TResult}"/>: awaited on the worker.</summary>
    public AsyncResult<IReadOnlyList<R>> StarMapAsync<T1, T2, T3, T4,
        R>(Func<T1, T2, T3, T4, ValueTask<R>> function, IEnumerable<(T1, T2, T3, T4)> items, int? chunksize = null,
        Action<IReadOnlyList<R>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2, T3, T4), R>(function, items, t => [t.Item1, t.Item2, t.Item3, t.Item4], chunksize, callback,
            errorCallback, cancellationToken);

    // The same, for functions whose last parameter is a CancellationToken (see PoolMethods.Cancellable.cs).

    /// <summary><see cref="Map{T,R}(Func{T,R},IEnumerable{T},int?)"/> for a function returning
    /// <see cref="ValueTask{TResult}"/>: awaited on the worker. It takes a <see cref="CancellationToken"/>, which the
    /// worker passes.</summary>
    public IReadOnlyList<R> Map<T, R>(Func<T, CancellationToken, ValueTask<R>> function, IEnumerable<T> items,
        int? chunksize = null) =>
        MapAsync(function, items, chunksize).Get();

    /// <summary><see cref="MapAsync{T,R}(Func{T,R},IEnumerable{T},int?,Action{IReadOnlyList{R}}?,Action{Exception}?,
    /// CancellationToken)"/> for a function returning <see cref="ValueTask{TResult}"/>: awaited on the worker. It takes
    /// a <see cref="CancellationToken"/>, which the worker passes.</summary>
    public AsyncResult<IReadOnlyList<R>> MapAsync<T, R>(Func<T, CancellationToken, ValueTask<R>> function,
        IEnumerable<T> items, int? chunksize = null,
        Action<IReadOnlyList<R>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        MapCall<T, R>(function, items, chunksize, callback, errorCallback, cancellationToken);

    /// <summary><see cref="IMap{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for a function returning
    /// <see cref="ValueTask{TResult}"/>: awaited on the worker. It takes a <see cref="CancellationToken"/>, which the
    /// worker passes.</summary>
    public IMapIterator<R> IMap<T, R>(Func<T, CancellationToken, ValueTask<R>> function, IEnumerable<T> items,
        int chunksize = 1, CancellationToken cancellationToken = default) =>
        CallForStream<T, R>(function, NotNull(items), chunksize, ordered: true, cancellationToken);

    /// <summary><see cref="IMapUnordered{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for a function
    /// returning <see cref="ValueTask{TResult}"/>: awaited on the worker. It takes a <see cref="CancellationToken"/>,
    /// which the worker passes.</summary>
    public IMapIterator<R> IMapUnordered<T, R>(Func<T, CancellationToken, ValueTask<R>> function, IEnumerable<T> items,
        int chunksize = 1, CancellationToken cancellationToken = default) =>
        CallForStream<T, R>(function, NotNull(items), chunksize, ordered: false, cancellationToken);

    /// <summary><see cref="Apply{R}(Func{R})"/> for a function returning <see cref="ValueTask{TResult}"/>: awaited on
    /// the worker. It takes a <see cref="CancellationToken"/>, which the worker passes.</summary>
    public R Apply<R>(Func<CancellationToken, ValueTask<R>> function) => ApplyAsync(function).Get();

    /// <summary><see cref="Apply{T1,R}(Func{T1,R},T1)"/> for a function returning <see cref="ValueTask{TResult}"/>:
    /// awaited on the worker. It takes a <see cref="CancellationToken"/>, which the worker passes.</summary>
    public R Apply<T1, R>(Func<T1, CancellationToken, ValueTask<R>> function, T1 a1) => ApplyAsync(function, a1).Get();

    /// <summary><see cref="Apply{T1,T2,R}(Func{T1,T2,R},T1,T2)"/> for a function returning
    /// <see cref="ValueTask{TResult}"/>: awaited on the worker. It takes a <see cref="CancellationToken"/>, which the
    /// worker passes.</summary>
    public R Apply<T1, T2, R>(Func<T1, T2, CancellationToken, ValueTask<R>> function, T1 a1, T2 a2) =>
        ApplyAsync(function, a1, a2).Get();

    /// <summary><see cref="ApplyAsync{R}(Func{R},Action{R}?,Action{Exception}?,CancellationToken)"/> for a function
    /// returning <see cref="ValueTask{TResult}"/>: awaited on the worker. It takes a <see cref="CancellationToken"/>,
    /// which the worker passes.</summary>
    public AsyncResult<R> ApplyAsync<R>(Func<CancellationToken, ValueTask<R>> function, Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,R}(Func{T1,R},T1,Action{R}?,Action{Exception}?,CancellationToken)"/> for a
    /// function returning <see cref="ValueTask{TResult}"/>: awaited on the worker. It takes a
    /// <see cref="CancellationToken"/>, which the worker passes.</summary>
    public AsyncResult<R> ApplyAsync<T1, R>(Func<T1, CancellationToken, ValueTask<R>> function, T1 a1,
        Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(a1), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,T2,R}(Func{T1,T2,R},T1,T2,Action{R}?,Action{Exception}?,CancellationToken)"/>
    /// for a function returning <see cref="ValueTask{TResult}"/>: awaited on the worker. It takes a
    /// <see cref="CancellationToken"/>, which the worker passes.</summary>
    public AsyncResult<R> ApplyAsync<T1, T2, R>(Func<T1, T2, CancellationToken, ValueTask<R>> function, T1 a1, T2 a2,
        Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(a1, a2), callback, errorCallback, cancellationToken);

    /// <summary><see cref="StarMap{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?)"/> for a function
    /// returning <see cref="ValueTask{TResult}"/>: awaited on the worker. It takes a <see cref="CancellationToken"/>,
    /// which the worker passes.</summary>
    public IReadOnlyList<R> StarMap<T1, T2, R>(Func<T1, T2, CancellationToken, ValueTask<R>> function,
        IEnumerable<(T1, T2)> items, int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary><see cref="StarMapAsync{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?,
    /// Action{IReadOnlyList{R}}?,Action{Exception}?,CancellationToken)"/> for a function returning
    /// <see cref="ValueTask{TResult}"/>: awaited on the worker. It takes a <see cref="CancellationToken"/>, which the
    /// worker passes.</summary>
    public AsyncResult<IReadOnlyList<R>> StarMapAsync<T1, T2,
        R>(Func<T1, T2, CancellationToken, ValueTask<R>> function, IEnumerable<(T1, T2)> items, int? chunksize = null,
        Action<IReadOnlyList<R>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2), R>(function, items, t => [t.Item1, t.Item2], chunksize, callback, errorCallback,
            cancellationToken);
}
