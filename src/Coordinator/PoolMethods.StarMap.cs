using System.Runtime.CompilerServices;

namespace ClusterPool;

public abstract partial class PoolMethods
{
    /// <summary>
    /// Like <see cref="Map{T,R}(Func{T,R},IEnumerable{T},int?)"/>, but each item is a tuple unpacked into the
    /// function's parameters (Python's <c>starmap(f, [(a, b), ...])</c>): returns <c>[f(a, b), ...]</c> in input order.
    /// </summary>
    public IReadOnlyList<R> StarMap<T1, T2, R>(Func<T1, T2, R> function, IEnumerable<(T1, T2)> items,
        int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary>Python's <c>starmap</c> for three-parameter functions; see
    /// <see cref="StarMap{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?)"/>.</summary>
    public IReadOnlyList<R> StarMap<T1, T2, T3, R>(Func<T1, T2, T3, R> function, IEnumerable<(T1, T2, T3)> items,
        int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary>Python's <c>starmap</c> for four-parameter functions; see
    /// <see cref="StarMap{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?)"/>.</summary>
    public IReadOnlyList<R> StarMap<T1, T2, T3, T4, R>(Func<T1, T2, T3, T4, R> function,
        IEnumerable<(T1, T2, T3, T4)> items,
        int? chunksize = null) =>
        StarMapAsync(function, items, chunksize).Get();

    /// <summary>Starts a <see cref="StarMap{T1,T2,R}(Func{T1,T2,R},IEnumerable{ValueTuple{T1,T2}},int?)"/> without
    /// blocking (Python's <c>starmap_async</c>).</summary>
    public AsyncResult<IReadOnlyList<R>> StarMapAsync<T1, T2, R>(Func<T1, T2, R> function, IEnumerable<(T1, T2)> items,
        int? chunksize = null, Action<IReadOnlyList<R>>? callback = null, Action<Exception>? errorCallback = null,
        CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2), R>(function, items, t => [t.Item1, t.Item2], chunksize, callback, errorCallback,
            cancellationToken);

    /// <summary>Python's <c>starmap_async</c> for three-parameter functions.</summary>
    public AsyncResult<IReadOnlyList<R>> StarMapAsync<T1, T2, T3,
        R>(Func<T1, T2, T3, R> function, IEnumerable<(T1, T2, T3)> items,
        int? chunksize = null, Action<IReadOnlyList<R>>? callback = null, Action<Exception>? errorCallback = null,
        CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2, T3), R>(function, items, t => [t.Item1, t.Item2, t.Item3], chunksize, callback, errorCallback,
            cancellationToken);

    /// <summary>Python's <c>starmap_async</c> for four-parameter functions.</summary>
    public AsyncResult<IReadOnlyList<R>> StarMapAsync<T1, T2, T3, T4, R>(Func<T1, T2, T3, T4, R> function,
        IEnumerable<(T1, T2, T3, T4)> items, int? chunksize = null, Action<IReadOnlyList<R>>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        StarCall<(T1, T2, T3, T4), R>(function, items, t => [t.Item1, t.Item2, t.Item3, t.Item4], chunksize, callback,
            errorCallback,
            cancellationToken);

    /// <summary>Every typed StarMapAsync (so every StarMap): each tuple unpacked into an argument list.</summary>
    private AsyncResult<IReadOnlyList<R>> StarCall<TTuple, R>(
        Delegate function, IEnumerable<TTuple> items, Func<TTuple, object?[]> unpack,
        int? chunksize, Action<IReadOnlyList<R>>? callback, Action<Exception>? errorCallback,
            CancellationToken cancellationToken,
        [CallerMemberName] string method = "")
    {
        NotNull(items);
        return CallForList<object?[], R, IReadOnlyList<R>>(function, items.Select(unpack), oneArgument: false,
            MapChunksize(items, chunksize),
            AsList, callback, errorCallback, cancellationToken, method: method);
    }
}
