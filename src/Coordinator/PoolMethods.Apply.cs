namespace ClusterPool;

public abstract partial class PoolMethods
{
    /// <summary>Runs <paramref name="function"/>() on a worker and returns its result (Python's <c>apply(f)</c>);
    /// blocks until done.</summary>
    public R Apply<R>(Func<R> function) => ApplyAsync(function).Get();

    /// <summary>Runs <paramref name="function"/>(a1) on a worker and returns its result (Python's <c>apply(f,
    /// (a1,))</c>).</summary>
    public R Apply<T1, R>(Func<T1, R> function, T1 a1) => ApplyAsync(function, a1).Get();

    /// <summary>Runs <paramref name="function"/>(a1, a2) on a worker and returns its result (Python's
    /// <c>apply</c>).</summary>
    public R Apply<T1, T2, R>(Func<T1, T2, R> function, T1 a1, T2 a2) => ApplyAsync(function, a1, a2).Get();

    /// <summary>Runs <paramref name="function"/>(a1, a2, a3) on a worker and returns its result (Python's
    /// <c>apply</c>).</summary>
    public R Apply<T1, T2, T3, R>(Func<T1, T2, T3, R> function, T1 a1, T2 a2, T3 a3) =>
        ApplyAsync(function, a1, a2, a3).Get();

    /// <summary>Runs <paramref name="function"/>(a1, a2, a3, a4) on a worker and returns its result (Python's
    /// <c>apply</c>).</summary>
    public R Apply<T1, T2, T3, T4, R>(Func<T1, T2, T3, T4, R> function, T1 a1, T2 a2, T3 a3, T4 a4) =>
        ApplyAsync(function, a1, a2, a3, a4).Get();

    /// <summary>
    /// Starts <paramref name="function"/>() on a worker (Python's <c>apply_async</c>). <paramref name="callback"/> gets
    /// the result, or <paramref name="errorCallback"/> the exception, once, before <see cref="AsyncResult{T}.Get"/>
    /// returns. As in Python, a pool runs its callbacks one at a time, in the order calls finish: keep them quick, and
    /// never wait for another call's result in one.
    /// </summary>
    public AsyncResult<R> ApplyAsync<R>(Func<R> function, Action<R>? callback = null,
        Action<Exception>? errorCallback = null,
        CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(), callback, errorCallback, cancellationToken);

    /// <summary>Starts <paramref name="function"/>(a1) on a worker (Python's <c>apply_async</c>); see
    /// <see cref="ApplyAsync{R}(Func{R},Action{R}?,Action{Exception}?,CancellationToken)"/>.</summary>
    public AsyncResult<R> ApplyAsync<T1, R>(Func<T1, R> function, T1 a1, Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(a1), callback, errorCallback, cancellationToken);

    /// <summary>Starts <paramref name="function"/>(a1, a2) on a worker (Python's <c>apply_async</c>); see
    /// <see cref="ApplyAsync{R}(Func{R},Action{R}?,Action{Exception}?,CancellationToken)"/>.</summary>
    public AsyncResult<R> ApplyAsync<T1, T2, R>(Func<T1, T2, R> function, T1 a1, T2 a2, Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(a1, a2), callback, errorCallback, cancellationToken);

    /// <summary>Starts <paramref name="function"/>(a1, a2, a3) on a worker (Python's <c>apply_async</c>); see
    /// <see cref="ApplyAsync{R}(Func{R},Action{R}?,Action{Exception}?,CancellationToken)"/>.</summary>
    public AsyncResult<R> ApplyAsync<T1, T2, T3, R>(Func<T1, T2, T3, R> function, T1 a1, T2 a2, T3 a3,
        Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(a1, a2, a3), callback, errorCallback, cancellationToken);

    /// <summary>Starts <paramref name="function"/>(a1, a2, a3, a4) on a worker (Python's <c>apply_async</c>); see
    /// <see cref="ApplyAsync{R}(Func{R},Action{R}?,Action{Exception}?,CancellationToken)"/>.</summary>
    public AsyncResult<R> ApplyAsync<T1, T2, T3, T4, R>(Func<T1, T2, T3, T4, R> function, T1 a1, T2 a2, T3 a3, T4 a4,
        Action<R>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default) =>
        CallForOne<R>(function, One(a1, a2, a3, a4), callback, errorCallback, cancellationToken);
}
