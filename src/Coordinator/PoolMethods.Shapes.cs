using ClusterPool.Jobs;

namespace ClusterPool;

/// <summary>
/// Functions of every other shape Python's pool takes: async functions (awaited on the worker: the call gives what the
/// task gives), functions that return nothing (their results are null, as Python's <c>None</c>), and any function with
/// any number of arguments (<see cref="Delegate"/> with <c>object?[]</c> argument lists, checked when the call is made).
/// </summary>
public abstract partial class PoolMethods
{
    /// <summary><see cref="Map{T,R}(Func{T,R},IEnumerable{T},int?)"/> for an async function: each task is awaited on the worker.</summary>
    public IReadOnlyList<R> Map<T, R>(Func<T, Task<R>> function, IEnumerable<T> items, int? chunksize = null) =>
        MapAsync(function, items, chunksize).Get();

    /// <summary><see cref="MapAsync{T,R}(Func{T,R},IEnumerable{T},int?,Action{IReadOnlyList{R}}?,Action{Exception}?,CancellationToken)"/> for an async function.</summary>
    public AsyncResult<IReadOnlyList<R>> MapAsync<T, R>(Func<T, Task<R>> function, IEnumerable<T> items, int? chunksize = null,
        Action<IReadOnlyList<R>>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForList<T, R, IReadOnlyList<R>>(function, NotNull(items), oneArgument: true, MapChunksize(items, chunksize),
            AsList, callback, errorCallback, cancellationToken);

    /// <summary><see cref="IMap{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for an async function.</summary>
    public IMapIterator<R> IMap<T, R>(Func<T, Task<R>> function, IEnumerable<T> items, int chunksize = 1, CancellationToken cancellationToken = default) =>
        CallForStream<T, R>(function, NotNull(items), chunksize, ordered: true, cancellationToken);

    /// <summary><see cref="IMapUnordered{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for an async function.</summary>
    public IMapIterator<R> IMapUnordered<T, R>(Func<T, Task<R>> function, IEnumerable<T> items, int chunksize = 1,
        CancellationToken cancellationToken = default) =>
        CallForStream<T, R>(function, NotNull(items), chunksize, ordered: false, cancellationToken);

    /// <summary><see cref="Apply{T1,R}(Func{T1,R},T1)"/> for an async function: awaited on the worker.</summary>
    public R Apply<T1, R>(Func<T1, Task<R>> function, T1 a1) => ApplyAsync(function, a1).Get();

    /// <summary><see cref="ApplyAsync{T1,R}(Func{T1,R},T1,Action{R}?,Action{Exception}?,CancellationToken)"/> for an async function.</summary>
    public AsyncResult<R> ApplyAsync<T1, R>(Func<T1, Task<R>> function, T1 a1, Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(a1), callback, errorCallback, cancellationToken);

    /// <summary>Runs a function that returns nothing on every item (Python's <c>map</c> over a function returning <c>None</c>); the results are null.</summary>
    public IReadOnlyList<object?> Map<T>(Action<T> function, IEnumerable<T> items, int? chunksize = null) =>
        MapAsync(function, items, chunksize).Get();

    /// <summary><see cref="Map{T}(Action{T},IEnumerable{T},int?)"/> without blocking.</summary>
    public AsyncResult<IReadOnlyList<object?>> MapAsync<T>(Action<T> function, IEnumerable<T> items, int? chunksize = null,
        Action<IReadOnlyList<object?>>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForList<T, object?, IReadOnlyList<object?>>(function, NotNull(items), oneArgument: true, MapChunksize(items, chunksize),
            AsList, callback, errorCallback, cancellationToken);

    /// <summary><see cref="IMap{T,R}(Func{T,R},IEnumerable{T},int,CancellationToken)"/> for a function that returns nothing: one null per finished item.</summary>
    public IMapIterator<object?> IMap<T>(Action<T> function, IEnumerable<T> items, int chunksize = 1, CancellationToken cancellationToken = default) =>
        CallForStream<T, object?>(function, NotNull(items), chunksize, ordered: true, cancellationToken);

    /// <summary>Runs <paramref name="function"/>(a1), which returns nothing, on a worker (Python's <c>apply</c>); blocks until done.</summary>
    public void Apply<T1>(Action<T1> function, T1 a1) => ApplyAsync(function, a1).Get();

    /// <summary>Starts <paramref name="function"/>(a1), which returns nothing, on a worker; the result is null.</summary>
    public AsyncResult<object?> ApplyAsync<T1>(Action<T1> function, T1 a1, Action<object?>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<object?>(function, One(a1), callback, errorCallback, cancellationToken);

    /// <summary>
    /// Runs any static function with any number of arguments on a worker (Python's <c>apply(f, args)</c>): a function
    /// of more than four parameters, or one returning <c>ValueTask&lt;R&gt;</c>, say. The arguments are checked against
    /// its parameters, and <typeparamref name="R"/> against what it returns, when the call is made.
    /// </summary>
    public R Apply<R>(Delegate function, params object?[] args) => ApplyAsync<R>(function, args).Get();

    /// <summary><see cref="Apply{R}(Delegate,object?[])"/> without blocking (Python's <c>apply_async(f, args)</c>).</summary>
    public AsyncResult<R> ApplyAsync<R>(Delegate function, object?[] args, Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
    {
        DelegateCalls.For<R>(function).Checked(args, nameof(args));
        return CallForOne<R>(function, [args], callback, errorCallback, cancellationToken);
    }

    /// <summary>
    /// Python's <c>starmap</c> over argument lists of any length: each <c>object?[]</c> is one call's arguments, checked
    /// against <paramref name="function"/>'s parameters as it is read.
    /// </summary>
    public IReadOnlyList<R> StarMap<R>(Delegate function, IEnumerable<object?[]> argumentLists, int? chunksize = null) =>
        StarMapAsync<R>(function, argumentLists, chunksize).Get();

    /// <summary><see cref="StarMap{R}(Delegate,IEnumerable{object?[]},int?)"/> without blocking (Python's <c>starmap_async</c>).</summary>
    public AsyncResult<IReadOnlyList<R>> StarMapAsync<R>(Delegate function, IEnumerable<object?[]> argumentLists, int? chunksize = null,
        Action<IReadOnlyList<R>>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
    {
        var calls = DelegateCalls.For<R>(function);
        var lists = NotNull(argumentLists);
        return CallForList<object?[], R, IReadOnlyList<R>>(function, lists.Select(args => calls.Checked(args, nameof(argumentLists))),
            oneArgument: false, MapChunksize(lists, chunksize), AsList, callback, errorCallback, cancellationToken);
    }
}
