using System.Runtime.CompilerServices;
using ClusterPool.Calls;

namespace ClusterPool;

/// <summary>
/// The eight methods of Python's pool — <c>Apply</c>, <c>ApplyAsync</c>, <c>Map</c>, <c>MapAsync</c>, <c>IMap</c>,
/// <c>IMapUnordered</c>, <c>StarMap</c>, <c>StarMapAsync</c> — shared by a <see cref="Pool"/> and by the view of it
/// that <see cref="Pool.With"/> returns, which runs the same calls with its own <see cref="CallOptions"/>. A function
/// may take a <see cref="CancellationToken"/> as its last parameter: the worker passes one that is cancelled when the
/// call is cancelled, or when the item's task timeout passes. It may return a value, a task of one or a
/// <see cref="ValueTask{TResult}"/> (awaited on the worker: the call gives the value), nothing (void, a
/// <see cref="Task"/> or a <see cref="ValueTask"/>: each result is null), or a lazy sequence (run there into a list):
/// every method has overloads of each shape, as a method group or a lambda takes them.
/// </summary>
public abstract partial class PoolMethods
{
    private protected PoolMethods(CallSubmitter calls, CallSettings settings)
    {
        Submitter = calls;
        Settings = settings;
    }

    /// <summary>Where the calls go: the pool's.</summary>
    private protected CallSubmitter Submitter { get; }

    /// <summary>The calls' settings.</summary>
    private protected CallSettings Settings { get; }

    /// <summary>
    /// Every list-shaped call (Apply, Map, StarMap and their async forms) goes through here. An item is its function's
    /// single argument when <paramref name="oneArgument"/> (Map), else its argument list (<c>object?[]</c>).
    /// </summary>
    private protected AsyncResult<TResult> CallForList<TItem, R,
        TResult>(Delegate function, IEnumerable<TItem> items, bool oneArgument,
        ChunkPlan chunks, Func<List<R>, TResult> shape, Action<TResult>? callback, Action<Exception>? errorCallback,
        CancellationToken cancellationToken, bool checkpointed = true, [CallerMemberName] string method = "")
    {
        var reference = FunctionReference.From(function, nameof(function));
        ResultTypes.Check<R>(function, nameof(function));
        var settings = TimeoutPlaceholder.Checked<R>(Settings);
        var output = new ListOutput<R, TResult>(shape, callback, errorCallback, Submitter.Callbacks,
            Submitter.Log);
        var call = Submitter.Submit(new CallRequest<TItem>(reference, items, oneArgument, chunks, output, output.Task,
            Gate: null,
            settings, checkpointed, method, cancellationToken));
        return new AsyncResult<TResult>(output.Task, call.Progress, output.CompletedBy);
    }

    /// <summary>Every Apply and ApplyAsync: one item, its argument list; not checkpointed (a checkpoint keeps the items
    /// of maps).</summary>
    private protected AsyncResult<R> CallForOne<R>(Delegate function, object?[][] arguments, Action<R>? callback,
        Action<Exception>? errorCallback, CancellationToken cancellationToken, [CallerMemberName] string method = "") =>
        CallForList<object?[], R, R>(function, arguments, oneArgument: false, 1, Single, callback, errorCallback,
            cancellationToken, checkpointed: false, method);

    /// <summary>Every streamed call (IMap, IMapUnordered) goes through here; an item is the function's single
    /// argument.</summary>
    private protected IMapIterator<R> CallForStream<T, R>(Delegate function, IEnumerable<T> items, int chunksize,
        bool ordered,
        CancellationToken cancellationToken, [CallerMemberName] string method = "")
    {
        var reference = FunctionReference.From(function, nameof(function));
        ResultTypes.Check<R>(function, nameof(function));
        var settings = TimeoutPlaceholder.Checked<R>(Settings);
        ChunkSize.Checked(chunksize);
        // Read ahead at least two chunks, so a big chunksize still keeps the workers busy.
        var gate = new AheadGate(Math.Max(Submitter.Input.MaxResultsAhead, 2L * chunksize),
            Submitter.Input.MaxResultBytesAhead);
        var output = new StreamOutput<R>(ordered, gate);
        var submitter = Submitter;
        var call = submitter.Submit(new CallRequest<T>(reference, items, OneArgument: true, chunksize, output,
            output.Finished,
            gate, settings, Checkpointed: true, method, cancellationToken));
        return new IMapIterator<R>(output, gate,
            () => submitter.Cancel(call.Id, new OperationCanceledException("the iterator was disposed")),
                call.Progress);
    }

    /// <summary>Every MapAsync (so every Map): each item is the function's single argument, in chunks as
    /// <see cref="MapChunksize"/> makes them.</summary>
    private protected AsyncResult<IReadOnlyList<R>> MapCall<T,
        R>(Delegate function, IEnumerable<T> items, int? chunksize,
        Action<IReadOnlyList<R>>? callback, Action<Exception>? errorCallback, CancellationToken cancellationToken,
        [CallerMemberName] string method = "")
    {
        NotNull(items);
        return CallForList<T, R, IReadOnlyList<R>>(function, items, oneArgument: true, MapChunksize(items, chunksize),
            AsList, callback, errorCallback, cancellationToken, method: method);
    }

    /// <summary>
    /// Map's chunks: the caller's chunksize, else as many chunks as Python's rule makes, evenly sized, from the input's
    /// length when it is known without reading it (<see cref="ChunkSize.ForMap"/>).
    /// </summary>
    private ChunkPlan MapChunksize<T>(IEnumerable<T> items, int? chunksize) => chunksize is { } given
        ? ChunkSize.Checked(given)
        : ChunkSize.ForMap(items.TryGetNonEnumeratedCount(out var count) ? count : null, Submitter.PoolSize,
            Submitter.Input.UnknownLengthChunksize);

    private static IReadOnlyList<R> AsList<R>(List<R> values) => values;

    private static R Single<R>(List<R> values) => values[0];

    private static object?[][] One(params object?[] args) => [args];

    private static IEnumerable<T> NotNull<T>(IEnumerable<T>? items) =>
        items ?? throw new ArgumentNullException(nameof(items), "the items to map over are null");
}
