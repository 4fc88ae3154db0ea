using System.Runtime.CompilerServices;

namespace ClusterPool;

// Async functions that return nothing (a Task): awaited on the worker, so a call ends when every task has ended
// and a task's exception is the call's; each result is null (Python's None). They win over the plain overloads as the
// Task<R> ones do, so that an async lambda that returns nothing is one of these.
public abstract partial class PoolMethods
{
    /// <summary><see cref="Map{T,R}(Func{T,R},IEnumerable{T},int?)"/> for an async function that returns nothing (a
    /// <see cref="Task"/>): awaited on the worker; each result is null (Python's <c>None</c>).</summary>
    [OverloadResolutionPriority(1)]
    public IReadOnlyList<object?> Map<T>(Func<T, Task> function, IEnumerable<T> items, int? chunksize = null) =>
        MapAsync(function, items, chunksize).Get();

    /// <summary><see cref="MapAsync{T,R}(Func{T,R},IEnumerable{T},int?,Action{IReadOnlyList{R}}?,Action{Exception}?,
    /// CancellationToken)"/> for an async function that returns nothing (a <see cref="Task"/>): awaited on the worker;
    /// each result is null (Python's <c>None</c>).</summary>
    [OverloadResolutionPriority(1)]
    public AsyncResult<IReadOnlyList<object?>> MapAsync<T>(Func<T, Task> function, IEnumerable<T> items,
        int? chunksize = null,
        Action<IReadOnlyList<object?>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        MapCall<T, object?>(function, items, chunksize, callback, errorCallback, cancellationToken);

    /// <summary><see cref="IMap{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for an async function that
    /// returns nothing (a <see cref="Task"/>): awaited on the worker; each result is null (Python's
    /// <c>None</c>).</summary>
    [OverloadResolutionPriority(1)]
    public IMapIterator<object?> IMap<T>(Func<T, Task> function, IEnumerable<T> items, int chunksize = 1,
        CancellationToken cancellationToken = default) =>
        CallForStream<T, object?>(function, NotNull(items), chunksize, ordered: true, cancellationToken);

    /// <summary><see cref="IMapUnordered{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for an async function
    /// that returns nothing (a <see cref="Task"/>): awaited on the worker; each result is null (Python's
    /// <c>None</c>).</summary>
    [OverloadResolutionPriority(1)]
    public IMapIterator<object?> IMapUnordered<T>(Func<T, Task> function, IEnumerable<T> items, int chunksize = 1,
        CancellationToken cancellationToken = default) =>
        CallForStream<T, object?>(function, NotNull(items), chunksize, ordered: false, cancellationToken);

    /// <summary><see cref="Apply{R}(Func{R})"/> for an async function that returns nothing (a <see cref="Task"/>):
    /// awaited on the worker.</summary>
    [OverloadResolutionPriority(1)]
    public void Apply(Func<Task> function) => ApplyAsync(function).Get();

    /// <summary><see cref="Apply{T1,R}(Func{T1,R},T1)"/> for an async function that returns nothing (a
    /// <see cref="Task"/>): awaited on the worker.</summary>
    [OverloadResolutionPriority(1)]
    public void Apply<T1>(Func<T1, Task> function, T1 a1) => ApplyAsync(function, a1).Get();

    /// <summary><see cref="Apply{T1,T2,R}(Func{T1,T2,R},T1,T2)"/> for an async function that returns nothing (a
    /// <see cref="Task"/>): awaited on the worker.</summary>
    [OverloadResolutionPriority(1)]
    public void Apply<T1, T2>(Func<T1, T2, Task> function, T1 a1, T2 a2) => ApplyAsync(function, a1, a2).Get();

    /// <summary><see cref="Apply{T1,T2,T3,R}(Func{T1,T2,T3,R},T1,T2,T3)"/> for an async function that returns nothing
    /// (a <see cref="Task"/>): awaited on the worker.</summary>
    [OverloadResolutionPriority(1)]
    public void Apply<T1, T2, T3>(Func<T1, T2, T3, Task> function, T1 a1, T2 a2, T3 a3) =>
        ApplyAsync(function, a1, a2, a3).Get();

    /// <summary><see cref="Apply{T1,T2,T3,T4,R}(Func{T1,T2,T3,T4,R},T1,T2,T3,T4)"/> for an async function that returns
    /// nothing (a <see cref="Task"/>): awaited on the worker.</summary>
    [OverloadResolutionPriority(1)]
    public void Apply<T1, T2, T3, T4>(Func<T1, T2, T3, T4, Task> function, T1 a1, T2 a2, T3 a3, T4 a4) =>
        ApplyAsync(function, a1, a2, a3, a4).Get();

    /// <summary><see cref="ApplyAsync{R}(Func{R},Action{R}?,Action{Exception}?,CancellationToken)"/> for an async
    /// function that returns nothing (a <see cref="Task"/>): awaited on the worker; the result is null.</summary>
    [OverloadResolutionPriority(1)]
    public AsyncResult<object?> ApplyAsync(Func<Task> function, Action<object?>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<object?>(function, One(), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,R}(Func{T1,R},T1,Action{R}?,Action{Exception}?,CancellationToken)"/> for an
    /// async function that returns nothing (a <see cref="Task"/>): awaited on the worker; the result is null.</summary>
    [OverloadResolutionPriority(1)]
    public AsyncResult<object?> ApplyAsync<T1>(Func<T1, Task> function, T1 a1, Action<object?>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<object?>(function, One(a1), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,T2,R}(Func{T1,T2,R},T1,T2,Action{R}?,Action{Exception}?,CancellationToken)"/>
    /// for an async function that returns nothing (a <see cref="Task"/>): awaited on the worker; the result is
    /// null.</summary>
    [OverloadResolutionPriority(1)]
    public AsyncResult<object?> ApplyAsync<T1, T2>(Func<T1, T2, Task> function, T1 a1, T2 a2,
        Action<object?>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<object?>(function, One(a1, a2), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,T2,T3,R}(Func{T1,T2,T3,R},T1,T2,T3,Action{R}?,Action{Exception}?,
    /// CancellationToken)"/> for an async function that returns nothing (a <see cref="Task"/>): awaited on the worker;
    /// the result is null.</summary>
    [OverloadResolutionPriority(1)]
    public AsyncResult<object?> ApplyAsync<T1, T2, T3>(Func<T1, T2, T3, Task> function, T1 a1, T2 a2, T3 a3,
        Action<object?>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<object?>(function, One(a1, a2, a3), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,T2,T3,T4,R}(Func{T1,T2,T3,T4,R},T1,T2,T3,T4,Action{R}?,Action{Exception}?,
    /// CancellationToken)"/> for an async function that returns nothing (a <see cref="Task"/>): awaited on the worker;
    /// the result is null.</summary>
    [OverloadResolutionPriority(1)]
    public AsyncResult<object?> ApplyAsync<T1, T2, T3, T4>(Func<T1, T2, T3, T4, Task> function, T1 a1, T2 a2, T3 a3,
        T4 a4, Action<object?>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<object?>(function, One(a1, a2, a3, a4), callback, errorCallback, cancellationToken);

    /// <summary><see cref="StarMap{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?)"/> for an async function
    /// that returns nothing (a <see cref="Task"/>): awaited on the worker; each result is null (Python's
    /// <c>None</c>).</summary>
    [OverloadResolutionPriority(1)]
    public IReadOnlyList<object?> StarMap<T1, T2>(Func<T1, T2, Task> function, IEnumerable<(T1, T2)> items,
        int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary><see cref="StarMap{T1,T2,T3,R}(Func{T1,T2,T3,R},IEnumerable{ValueTuple{T1,T2,T3}},int?)"/> for an async
    /// function that returns nothing (a <see cref="Task"/>): awaited on the worker; each result is null (Python's
    /// <c>None</c>).</summary>
    [OverloadResolutionPriority(1)]
    public IReadOnlyList<object?> StarMap<T1, T2, T3>(Func<T1, T2, T3, Task> function, IEnumerable<(T1, T2, T3)> items,
        int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary><see cref="StarMap{T1,T2,T3,T4,R}(Func{T1,T2,T3,T4,R},IEnumerable{ValueTuple{T1,T2,T3,T4}},int?)"/> for
    /// an async function that returns nothing (a <see cref="Task"/>): awaited on the worker; each result is null
    /// (Python's <c>None</c>).</summary>
    [OverloadResolutionPriority(1)]
    public IReadOnlyList<object?> StarMap<T1, T2, T3, T4>(Func<T1, T2, T3, T4, Task> function,
        IEnumerable<(T1, T2, T3, T4)> items, int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary><see cref="StarMapAsync{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?,
    /// Action{IReadOnlyList{R}}?,Action{Exception}?,CancellationToken)"/> for an async function that returns nothing (a
    /// <see cref="Task"/>): awaited on the worker; each result is null (Python's <c>None</c>).</summary>
    [OverloadResolutionPriority(1)]
    public AsyncResult<IReadOnlyList<object?>> StarMapAsync<T1,
        T2>(Func<T1, T2, Task> function, IEnumerable<(T1, T2)> items, int? chunksize = null,
        Action<IReadOnlyList<object?>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2), object?>(function, items, t => [t.Item1, t.Item2], chunksize, callback, errorCallback,
            cancellationToken);

    /// <summary><see cref="StarMapAsync{T1,T2,T3,R}(Func{T1,T2,T3,R},IEnumerable{ValueTuple{T1,T2,T3}},int?,
    /// Action{IReadOnlyList{R}}?,Action{Exception}?,CancellationToken)"/> for an async function that returns nothing (a
    /// <see cref="Task"/>): awaited on the worker; each result is null (Python's <c>None</c>).</summary>
    [OverloadResolutionPriority(1)]
    public AsyncResult<IReadOnlyList<object?>> StarMapAsync<T1, T2,
        T3>(Func<T1, T2, T3, Task> function, IEnumerable<(T1, T2, T3)> items, int? chunksize = null,
        Action<IReadOnlyList<object?>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2, T3), object?>(function, items, t => [t.Item1, t.Item2, t.Item3], chunksize, callback,
            errorCallback, cancellationToken);

    /// <summary><see cref="StarMapAsync{T1,T2,T3,T4,R}(Func{T1,T2,T3,T4,R},IEnumerable{ValueTuple{T1,T2,T3,T4}},int?,
    /// Action{IReadOnlyList{R}}?,Action{Exception}?,CancellationToken)"/> for an async function that returns nothing (a
    /// <see cref="Task"/>): awaited on the worker; each result is null (Python's <c>None</c>).</summary>
    [OverloadResolutionPriority(1)]
    public AsyncResult<IReadOnlyList<object?>> StarMapAsync<T1, T2, T3,
        T4>(Func<T1, T2, T3, T4, Task> function, IEnumerable<(T1, T2, T3, T4)> items, int? chunksize = null,
        Action<IReadOnlyList<object?>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2, T3, T4), object?>(function, items, t => [t.Item1, t.Item2, t.Item3, t.Item4], chunksize,
            callback, errorCallback, cancellationToken);

    // The same, for functions whose last parameter is a CancellationToken (see PoolMethods.Cancellable.cs).

    /// <summary><see cref="Map{T,R}(Func{T,R},IEnumerable{T},int?)"/> for an async function that returns nothing (a
    /// <see cref="Task"/>): awaited on the worker; each result is null (Python's <c>None</c>). It takes a
    /// <see cref="CancellationToken"/>, which the worker passes.</summary>
    [OverloadResolutionPriority(1)]
    public IReadOnlyList<object?> Map<T>(Func<T, CancellationToken, Task> function, IEnumerable<T> items,
        int? chunksize = null) =>
        MapAsync(function, items, chunksize).Get();

    /// <summary><see cref="MapAsync{T,R}(Func{T,R},IEnumerable{T},int?,Action{IReadOnlyList{R}}?,Action{Exception}?,
    /// CancellationToken)"/> for an async function that returns nothing (a <see cref="Task"/>): awaited on the worker;
    /// each result is null (Python's <c>None</c>). It takes a <see cref="CancellationToken"/>, which the worker
    /// passes.</summary>
    [OverloadResolutionPriority(1)]
    public AsyncResult<IReadOnlyList<object?>> MapAsync<T>(Func<T, CancellationToken, Task> function,
        IEnumerable<T> items, int? chunksize = null,
        Action<IReadOnlyList<object?>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        MapCall<T, object?>(function, items, chunksize, callback, errorCallback, cancellationToken);

    /// <summary><see cref="IMap{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for an async function that
    /// returns nothing (a <see cref="Task"/>): awaited on the worker; each result is null (Python's <c>None</c>). It
    /// takes a <see cref="CancellationToken"/>, which the worker passes.</summary>
    [OverloadResolutionPriority(1)]
    public IMapIterator<object?> IMap<T>(Func<T, CancellationToken, Task> function, IEnumerable<T> items,
        int chunksize = 1, CancellationToken cancellationToken = default) =>
        CallForStream<T, object?>(function, NotNull(items), chunksize, ordered: true, cancellationToken);

    /// <summary><see cref="IMapUnordered{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for an async function
    /// that returns nothing (a <see cref="Task"/>): awaited on the worker; each result is null (Python's <c>None</c>).
    /// It takes a <see cref="CancellationToken"/>, which the worker passes.</summary>
    [OverloadResolutionPriority(1)]
    public IMapIterator<object?> IMapUnordered<T>(Func<T, CancellationToken, Task> function, IEnumerable<T> items,
        int chunksize = 1, CancellationToken cancellationToken = default) =>
        CallForStream<T, object?>(function, NotNull(items), chunksize, ordered: false, cancellationToken);

    /// <summary><see cref="Apply{R}(Func{R})"/> for an async function that returns nothing (a <see cref="Task"/>):
    /// awaited on the worker. It takes a <see cref="CancellationToken"/>, which the worker passes.</summary>
    [OverloadResolutionPriority(1)]
    public void Apply(Func<CancellationToken, Task> function) => ApplyAsync(function).Get();

    /// <summary><see cref="Apply{T1,R}(Func{T1,R},T1)"/> for an async function that returns nothing (a
    /// <see cref="Task"/>): awaited on the worker. It takes a <see cref="CancellationToken"/>, which the worker
    /// passes.</summary>
    [OverloadResolutionPriority(1)]
    public void Apply<T1>(Func<T1, CancellationToken, Task> function, T1 a1) => ApplyAsync(function, a1).Get();

    /// <summary><see cref="Apply{T1,T2,R}(Func{T1,T2,R},T1,T2)"/> for an async function that returns nothing (a
    /// <see cref="Task"/>): awaited on the worker. It takes a <see cref="CancellationToken"/>, which the worker
    /// passes.</summary>
    [OverloadResolutionPriority(1)]
    public void Apply<T1, T2>(Func<T1, T2, CancellationToken, Task> function, T1 a1, T2 a2) =>
        ApplyAsync(function, a1, a2).Get();

    /// <summary><see cref="ApplyAsync{R}(Func{R},Action{R}?,Action{Exception}?,CancellationToken)"/> for an async
    /// function that returns nothing (a <see cref="Task"/>): awaited on the worker; the result is null. It takes a
    /// <see cref="CancellationToken"/>, which the worker passes.</summary>
    [OverloadResolutionPriority(1)]
    public AsyncResult<object?> ApplyAsync(Func<CancellationToken, Task> function, Action<object?>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<object?>(function, One(), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,R}(Func{T1,R},T1,Action{R}?,Action{Exception}?,CancellationToken)"/> for an
    /// async function that returns nothing (a <see cref="Task"/>): awaited on the worker; the result is null. It takes
    /// a <see cref="CancellationToken"/>, which the worker passes.</summary>
    [OverloadResolutionPriority(1)]
    public AsyncResult<object?> ApplyAsync<T1>(Func<T1, CancellationToken, Task> function, T1 a1,
        Action<object?>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<object?>(function, One(a1), callback, errorCallback, cancellationToken);

    /// <summary><see cref="ApplyAsync{T1,T2,R}(Func{T1,T2,R},T1,T2,Action{R}?,Action{Exception}?,CancellationToken)"/>
    /// for an async function that returns nothing (a <see cref="Task"/>): awaited on the worker; the result is null. It
    /// takes a <see cref="CancellationToken"/>, which the worker passes.</summary>
    [OverloadResolutionPriority(1)]
    public AsyncResult<object?> ApplyAsync<T1, T2>(Func<T1, T2, CancellationToken, Task> function, T1 a1, T2 a2,
        Action<object?>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<object?>(function, One(a1, a2), callback, errorCallback, cancellationToken);

    /// <summary><see cref="StarMap{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?)"/> for an async function
    /// that returns nothing (a <see cref="Task"/>): awaited on the worker; each result is null (Python's <c>None</c>).
    /// It takes a <see cref="CancellationToken"/>, which the worker passes.</summary>
    [OverloadResolutionPriority(1)]
    public IReadOnlyList<object?> StarMap<T1, T2>(Func<T1, T2, CancellationToken, Task> function,
        IEnumerable<(T1, T2)> items, int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary><see cref="StarMapAsync{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?,
    /// Action{IReadOnlyList{R}}?,Action{Exception}?,CancellationToken)"/> for an async function that returns nothing (a
    /// <see cref="Task"/>): awaited on the worker; each result is null (Python's <c>None</c>). It takes a
    /// <see cref="CancellationToken"/>, which the worker passes.</summary>
    [OverloadResolutionPriority(1)]
    public AsyncResult<IReadOnlyList<object?>> StarMapAsync<T1,
        T2>(Func<T1, T2, CancellationToken, Task> function, IEnumerable<(T1, T2)> items, int? chunksize = null,
        Action<IReadOnlyList<object?>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2), object?>(function, items, t => [t.Item1, t.Item2], chunksize, callback, errorCallback,
            cancellationToken);
}
