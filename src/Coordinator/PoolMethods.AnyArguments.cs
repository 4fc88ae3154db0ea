using System.Runtime.CompilerServices;
using ClusterPool.Calls;

namespace ClusterPool;

// Any static function with any number of arguments, as Python's apply(f, args) and starmap take it: a Delegate and
// object?[] argument lists, checked against the function's parameters and the call's result type when the call is
// made. The typed overloads (PoolMethods.Apply.cs, PoolMethods.Shapes.*.cs) take functions of up to four arguments.
public abstract partial class PoolMethods
{
    // Named with one type argument, Apply<R>(F, a) means this overload, even where a typed one of one type parameter
    // could take F too (Apply<T1>(Func<T1, Task>, T1) takes an F returning Task<T1>, and would drop its result).
    /// <summary>
    /// Runs any static function with any number of arguments on a worker (Python's <c>apply(f, args)</c>): a function
    /// of more than four parameters, say. The arguments are checked against its parameters, and
    /// <typeparamref name="R"/> against what it gives (a task's result, a list for an async sequence), when the call
    /// is made.
    /// </summary>
    [OverloadResolutionPriority(2)]
    public R Apply<R>(Delegate function, params object?[] args) => ApplyAsync<R>(function, args).Get();

    /// <summary><see cref="Apply{R}(Delegate,object?[])"/> without blocking (Python's <c>apply_async(f,
    /// args)</c>).</summary>
    public AsyncResult<R> ApplyAsync<R>(Delegate function, object?[] args, Action<R>? callback = null,
        Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
    {
        DelegateCalls.For<R>(function).Checked(args, nameof(args));
        return CallForOne<R>(function, [args], callback, errorCallback, cancellationToken);
    }

    /// <summary>
    /// Python's <c>starmap</c> over argument lists of any length: each <c>object?[]</c> is one call's arguments,
    /// checked against <paramref name="function"/>'s parameters as it is read.
    /// </summary>
    public IReadOnlyList<R> StarMap<R>(Delegate function, IEnumerable<object?[]> argumentLists,
        int? chunksize = null) =>
        StarMapAsync<R>(function, argumentLists, chunksize).Get();

    /// <summary><see cref="StarMap{R}(Delegate,IEnumerable{object?[]},int?)"/> without blocking (Python's
    /// <c>starmap_async</c>).</summary>
    public AsyncResult<IReadOnlyList<R>> StarMapAsync<R>(Delegate function, IEnumerable<object?[]> argumentLists,
        int? chunksize = null,
        Action<IReadOnlyList<R>>? callback = null, Action<Exception>? errorCallback = null,
            CancellationToken cancellationToken = default)
    {
        var calls = DelegateCalls.For<R>(function);
        var lists = NotNull(argumentLists);
        return CallForList<object?[], R, IReadOnlyList<R>>(function,
            lists.Select(args => calls.Checked(args, nameof(argumentLists))),
            oneArgument: false, MapChunksize(lists, chunksize), AsList, callback, errorCallback, cancellationToken);
    }
}
