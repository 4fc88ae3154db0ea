namespace ClusterPool;

// Functions that return an IAsyncEnumerable<R> (async iterators, async LINQ): the worker runs each sequence to its
// end into a list, and the call gives the lists; the sequence's body never runs in the caller's process.
public abstract partial class PoolMethods
{
    /// <summary><see cref="Map{T,R}(Func{T,R},IEnumerable{T},int?)"/> for a function returning an
    /// <see cref="IAsyncEnumerable{T}"/>: the worker runs each sequence into a list.</summary>
    public IReadOnlyList<IReadOnlyList<R>> Map<T, R>(Func<T, IAsyncEnumerable<R>> function, IEnumerable<T> items,
        int? chunksize = null) =>
        MapAsync(function, items, chunksize).Get();

    /// <summary><see cref="MapAsync{T,R}(Func{T,R},IEnumerable{T},int?,Action{IReadOnlyList{R}}?,Action{Exception}?,
    /// CancellationToken)"/> for a function returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs each
    /// sequence into a list.</summary>
    public AsyncResult<IReadOnlyList<IReadOnlyList<R>>> MapAsync<T,
        R>(Func<T, IAsyncEnumerable<R>> function, IEnumerable<T> items, int? chunksize = null,
        Action<IReadOnlyList<IReadOnlyList<R>>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        MapCall<T, IReadOnlyList<R>>(function, items, chunksize, callback, errorCallback, cancellationToken);

    /// <summary><see cref="IMap{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for a function returning an
    /// <see cref="IAsyncEnumerable{T}"/>: the worker runs each sequence into a list.</summary>
    public IMapIterator<IReadOnlyList<R>> IMap<T, R>(Func<T, IAsyncEnumerable<R>> function, IEnumerable<T> items,
        int chunksize = 1, CancellationToken cancellationToken = default) =>
        CallForStream<T, IReadOnlyList<R>>(function, NotNull(items), chunksize, ordered: true, cancellationToken);

    /// <summary><see cref="IMapUnordered{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for a function
    /// returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs each sequence into a list.</summary>
    public IMapIterator<IReadOnlyList<R>> IMapUnordered<T, R>(
        Func<T, IAsyncEnumerable<R>> function, IEnumerable<T> items, int chunksize = 1,
        CancellationToken cancellationToken = default) =>
        CallForStream<T, IReadOnlyList<R>>(function, NotNull(items), chunksize, ordered: false, cancellationToken);

    /// <summary><see cref="Apply{R}(Func{R})"/> for a function returning an <see cref="IAsyncEnumerable{T}"/>: the
    /// worker runs the sequence into a list.</summary>
    public IReadOnlyList<R> Apply<R>(Func<IAsyncEnumerable<R>> function) => ApplyAsync(function).Get();

    /// <summary><see cref="Apply{T1,R}(Func{T1,R},T1)"/> for a function returning an <see cref="IAsyncEnumerable{T}"/>:
    /// the worker runs the sequence into a list.</summary>
    public IReadOnlyList<R> Apply<T1, R>(Func<T1, IAsyncEnumerable<R>> function, T1 a1) =>
        ApplyAsync(function, a1).Get();

    /// <summary><see cref="Apply{T1,T2,R}(Func{T1,T2,R},T1,T2)"/> for a function returning an
    /// <see cref="IAsyncEnumerable{T}"/>: the worker runs the sequence into a list.</summary>
    public IReadOnlyList<R> Apply<T1, T2, R>(Func<T1, T2, IAsyncEnumerable<R>> function, T1 a1, T2 a2) =>
        ApplyAsync(function, a1, a2).Get();

    /// <summary><see cref="Apply{T1,T2,T3,R}(Func{T1,T2,T3,R},T1,T2,T3)"/> for a function returning an
    /// <see cref="IAsyncEnumerable{T}"/>: the worker runs the sequence into a list.</summary>
    public IReadOnlyList<R> Apply<T1, T2, T3, R>(Func<T1, T2, T3, IAsyncEnumerable<R>> function, T1 a1, T2 a2, T3 a3) =>
        ApplyAsync(function, a1, a2, a3).Get();

    /// <summary><see cref="Apply{T1,T2,T3,T4,R}(Func{T1,T2,T3,T4,R},T1,T2,T3,T4)"/> for a function returning an
    /// <see cref="IAsyncEnumerable{T}"/>: the worker runs the sequence into a list.</summary>
    public IReadOnlyList<R> Apply<T1, T2, T3, T4, R>(Func<T1, T2, T3, T4, IAsyncEnumerable<R>> function, T1 a1, T2 a2,
        T3 a3, T4 a4) =>
        ApplyAsync(function, a1, a2, a3, a4).Get();

    /// <summary><see cref="ApplyAsync{R}(Func{R},Action{R}?,Action{Exception}?,CancellationToken)"/> for a function
    /// returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs the sequence into a list.</summary>
    public AsyncResult<IReadOnlyList<R>> ApplyAsync<R>(Func<IAsyncEnumerable<R>> function,
        Action<IReadOnlyList<R>>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<IReadOnlyList<R>>(function, One(), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,R}(Func{T1,R},T1,Action{R}?,Action{Exception}?,CancellationToken)"/> for a
    /// function returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs the sequence into a list.</summary>
    public AsyncResult<IReadOnlyList<R>> ApplyAsync<T1, R>(Func<T1, IAsyncEnumerable<R>> function, T1 a1,
        Action<IReadOnlyList<R>>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<IReadOnlyList<R>>(function, One(a1), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,T2,R}(Func{T1,T2,R},T1,T2,Action{R}?,Action{Exception}?,CancellationToken)"/>
    /// for a function returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs the sequence into a
    /// list.</summary>
    public AsyncResult<IReadOnlyList<R>> ApplyAsync<T1, T2, R>(
        Func<T1, T2, IAsyncEnumerable<R>> function, T1 a1, T2 a2, Action<IReadOnlyList<R>>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<IReadOnlyList<R>>(function, One(a1, a2), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,T2,T3,R}(Func{T1,T2,T3,R},T1,T2,T3,Action{R}?,Action{Exception}?,
    /// CancellationToken)"/> for a function returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs the
    /// sequence into a list.</summary>
    public AsyncResult<IReadOnlyList<R>> ApplyAsync<T1, T2, T3,
        R>(Func<T1, T2, T3, IAsyncEnumerable<R>> function, T1 a1, T2 a2, T3 a3,
        Action<IReadOnlyList<R>>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<IReadOnlyList<R>>(function, One(a1, a2, a3), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,T2,T3,T4,R}(Func{T1,T2,T3,T4,R},T1,T2,T3,T4,Action{R}?,Action{Exception}?,
    /// CancellationToken)"/> for a function returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs the
    /// sequence into a list.</summary>
    public AsyncResult<IReadOnlyList<R>> ApplyAsync<T1, T2, T3, T4,
        R>(Func<T1, T2, T3, T4, IAsyncEnumerable<R>> function, T1 a1, T2 a2, T3 a3, T4 a4,
        Action<IReadOnlyList<R>>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<IReadOnlyList<R>>(function, One(a1, a2, a3, a4), callback, errorCallback, cancellationToken);

    /// <summary><see cref="StarMap{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?)"/> for a function
    /// returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs each sequence into a list.</summary>
    public IReadOnlyList<IReadOnlyList<R>> StarMap<T1, T2, R>(
        Func<T1, T2, IAsyncEnumerable<R>> function, IEnumerable<(T1, T2)> items, int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary><see cref="StarMap{T1,T2,T3,R}(Func{T1,T2,T3,R},IEnumerable{ValueTuple{T1,T2,T3}},int?)"/> for a
    /// function returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs each sequence into a list.</summary>
    public IReadOnlyList<IReadOnlyList<R>> StarMap<T1, T2, T3,
        R>(Func<T1, T2, T3, IAsyncEnumerable<R>> function, IEnumerable<(T1, T2, T3)> items, int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary><see cref="StarMap{T1,T2,T3,T4,R}(Func{T1,T2,T3,T4,R},IEnumerable{ValueTuple{T1,T2,T3,T4}},int?)"/> for
    /// a function returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs each sequence into a list.</summary>
    public IReadOnlyList<IReadOnlyList<R>> StarMap<T1, T2, T3, T4,
        R>(Func<T1, T2, T3, T4, IAsyncEnumerable<R>> function, IEnumerable<(T1, T2, T3, T4)> items,
        int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary><see cref="StarMapAsync{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?,
    /// Action{IReadOnlyList{R}}?,Action{Exception}?,CancellationToken)"/> for a function returning an
    /// <see cref="IAsyncEnumerable{T}"/>: the worker runs each sequence into a list.</summary>
    public AsyncResult<IReadOnlyList<IReadOnlyList<R>>> StarMapAsync<T1, T2,
        R>(Func<T1, T2, IAsyncEnumerable<R>> function, IEnumerable<(T1, T2)> items, int? chunksize = null,
        Action<IReadOnlyList<IReadOnlyList<R>>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2), IReadOnlyList<R>>(function, items, t => [t.Item1, t.Item2], chunksize, callback,
            errorCallback, cancellationToken);

    /// <summary><see cref="StarMapAsync{T1,T2,T3,R}(Func{T1,T2,T3,R},IEnumerable{ValueTuple{T1,T2,T3}},int?,
    /// Action{IReadOnlyList{R}}?,Action{Exception}?,CancellationToken)"/> for a function returning an
    /// <see cref="IAsyncEnumerable{T}"/>: the worker runs each sequence into a list.</summary>
    public AsyncResult<IReadOnlyList<IReadOnlyList<R>>> StarMapAsync<T1, T2, T3,
        R>(Func<T1, T2, T3, IAsyncEnumerable<R>> function, IEnumerable<(T1, T2, T3)> items, int? chunksize = null,
        Action<IReadOnlyList<IReadOnlyList<R>>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2, T3), IReadOnlyList<R>>(function, items, t => [t.Item1, t.Item2, t.Item3], chunksize, callback,
            errorCallback, cancellationToken);

    /// <summary><see cref="StarMapAsync{T1,T2,T3,T4,R}(Func{T1,T2,T3,T4,R},IEnumerable{ValueTuple{T1,T2,T3,T4}},int?,
    /// Action{IReadOnlyList{R}}?,Action{Exception}?,CancellationToken)"/> for a function returning an
    /// <see cref="IAsyncEnumerable{T}"/>: the worker runs each sequence into a list.</summary>
    public AsyncResult<IReadOnlyList<IReadOnlyList<R>>> StarMapAsync<T1, T2, T3, T4,
        R>(Func<T1, T2, T3, T4, IAsyncEnumerable<R>> function, IEnumerable<(T1, T2, T3, T4)> items,
        int? chunksize = null,
        Action<IReadOnlyList<IReadOnlyList<R>>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2, T3, T4), IReadOnlyList<R>>(function, items, t => [t.Item1, t.Item2, t.Item3, t.Item4],
            chunksize, callback, errorCallback, cancellationToken);

    // The same, for functions whose last parameter is a CancellationToken (see PoolMethods.Cancellable.cs).

    /// <summary><see cref="Map{T,R}(Func{T,R},IEnumerable{T},int?)"/> for a function returning an
    /// <see cref="IAsyncEnumerable{T}"/>: the worker runs each sequence into a list. It takes a
    /// <see cref="CancellationToken"/>, which the worker passes.</summary>
    public IReadOnlyList<IReadOnlyList<R>> Map<T, R>(Func<T, CancellationToken, IAsyncEnumerable<R>> function,
        IEnumerable<T> items, int? chunksize = null) =>
        MapAsync(function, items, chunksize).Get();

    /// <summary><see cref="MapAsync{T,R}(Func{T,R},IEnumerable{T},int?,Action{IReadOnlyList{R}}?,Action{Exception}?,
    /// CancellationToken)"/> for a function returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs each
    /// sequence into a list. It takes a <see cref="CancellationToken"/>, which the worker passes.</summary>
    public AsyncResult<IReadOnlyList<IReadOnlyList<R>>> MapAsync<T,
        R>(Func<T, CancellationToken, IAsyncEnumerable<R>> function, IEnumerable<T> items, int? chunksize = null,
        Action<IReadOnlyList<IReadOnlyList<R>>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        MapCall<T, IReadOnlyList<R>>(function, items, chunksize, callback, errorCallback, cancellationToken);

    /// <summary><see cref="IMap{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for a function returning an
    /// <see cref="IAsyncEnumerable{T}"/>: the worker runs each sequence into a list. It takes a
    /// <see cref="CancellationToken"/>, which the worker passes.</summary>
    public IMapIterator<IReadOnlyList<R>> IMap<T, R>(Func<T, CancellationToken, IAsyncEnumerable<R>> function,
        IEnumerable<T> items, int chunksize = 1, CancellationToken cancellationToken = default) =>
        CallForStream<T, IReadOnlyList<R>>(function, NotNull(items), chunksize, ordered: true, cancellationToken);

    /// <summary><see cref="IMapUnordered{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for a function
    /// returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs each sequence into a list. It takes a
    /// <see cref="CancellationToken"/>, which the worker passes.</summary>
    public IMapIterator<IReadOnlyList<R>> IMapUnordered<T, R>(
        Func<T, CancellationToken, IAsyncEnumerable<R>> function, IEnumerable<T> items, int chunksize = 1,
        CancellationToken cancellationToken = default) =>
        CallForStream<T, IReadOnlyList<R>>(function, NotNull(items), chunksize, ordered: false, cancellationToken);

    /// <summary><see cref="Apply{R}(Func{R})"/> for a function returning an <see cref="IAsyncEnumerable{T}"/>: the
    /// worker runs the sequence into a list. It takes a <see cref="CancellationToken"/>, which the worker
    /// passes.</summary>
    public IReadOnlyList<R> Apply<R>(Func<CancellationToken, IAsyncEnumerable<R>> function) =>
        ApplyAsync(function).Get();

    /// <summary><see cref="Apply{T1,R}(Func{T1,R},T1)"/> for a function returning an <see cref="IAsyncEnumerable{T}"/>:
    /// the worker runs the sequence into a list. It takes a <see cref="CancellationToken"/>, which the worker
    /// passes.</summary>
    public IReadOnlyList<R> Apply<T1, R>(Func<T1, CancellationToken, IAsyncEnumerable<R>> function, T1 a1) =>
        ApplyAsync(function, a1).Get();

    /// <summary><see cref="Apply{T1,T2,R}(Func{T1,T2,R},T1,T2)"/> for a function returning an
    /// <see cref="IAsyncEnumerable{T}"/>: the worker runs the sequence into a list. It takes a
    /// <see cref="CancellationToken"/>, which the worker passes.</summary>
    public IReadOnlyList<R> Apply<T1, T2, R>(Func<T1, T2, CancellationToken, IAsyncEnumerable<R>> function, T1 a1,
        T2 a2) =>
        ApplyAsync(function, a1, a2).Get();

    /// <summary><see cref="ApplyAsync{R}(Func{R},Action{R}?,Action{Exception}?,CancellationToken)"/> for a function
    /// returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs the sequence into a list. It takes a
    /// <see cref="CancellationToken"/>, which the worker passes.</summary>
    public AsyncResult<IReadOnlyList<R>> ApplyAsync<R>(Func<CancellationToken, IAsyncEnumerable<R>> function,
        Action<IReadOnlyList<R>>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<IReadOnlyList<R>>(function, One(), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,R}(Func{T1,R},T1,Action{R}?,Action{Exception}?,CancellationToken)"/> for a
    /// function returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs the sequence into a list. It takes a
    /// <see cref="CancellationToken"/>, which the worker passes.</summary>
    public AsyncResult<IReadOnlyList<R>> ApplyAsync<T1, R>(Func<T1, CancellationToken, IAsyncEnumerable<R>> function,
        T1 a1, Action<IReadOnlyList<R>>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<IReadOnlyList<R>>(function, One(a1), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,T2,R}(Func{T1,T2,R},T1,T2,Action{R}?,Action{Exception}?,CancellationToken)"/>
    /// for a function returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs the sequence into a list. It
    /// takes a <see cref="CancellationToken"/>, which the worker passes.</summary>
    public AsyncResult<IReadOnlyList<R>> ApplyAsync<T1, T2, R>(
        Func<T1, T2, CancellationToken, IAsyncEnumerable<R>> function, T1 a1, T2 a2,
        Action<IReadOnlyList<R>>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<IReadOnlyList<R>>(function, One(a1, a2), callback, errorCallback, cancellationToken);

    /// <summary><see cref="StarMap{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?)"/> for a function
    /// returning an <see cref="IAsyncEnumerable{T}"/>: the worker runs each sequence into a list. It takes a
    /// <see cref="CancellationToken"/>, which the worker passes.</summary>
    public IReadOnlyList<IReadOnlyList<R>> StarMap<T1, T2, R>(
        Func<T1, T2, CancellationToken, IAsyncEnumerable<R>> function, IEnumerable<(T1, T2)> items,
        int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary><see cref="StarMapAsync{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?,
    /// Action{IReadOnlyList{R}}?,Action{Exception}?,CancellationToken)"/> for a function returning an
    /// <see cref="IAsyncEnumerable{T}"/>: the worker runs each sequence into a list. It takes a
    /// <see cref="CancellationToken"/>, which the worker passes.</summary>
    public AsyncResult<IReadOnlyList<IReadOnlyList<R>>> StarMapAsync<T1, T2,
        R>(Func<T1, T2, CancellationToken, IAsyncEnumerable<R>> function, IEnumerable<(T1, T2)> items,
        int? chunksize = null,
        Action<IReadOnlyList<IReadOnlyList<R>>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2), IReadOnlyList<R>>(function, items, t => [t.Item1, t.Item2], chunksize, callback,
            errorCallback, cancellationToken);
}
