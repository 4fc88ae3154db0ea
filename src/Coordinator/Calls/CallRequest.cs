using ClusterPool.Contracts;

namespace ClusterPool.Calls;

/// <summary>One call of a pool method, as the method hands it to the pool.</summary>
/// <typeparam name="TItem">An item's single argument (<paramref name="OneArgument"/>) or its argument list
/// (<c>object?[]</c>).</typeparam>
/// <param name="Function">The function, by reference.</param>
/// <param name="Items">The items, read lazily by the call's feeder.</param>
/// <param name="OneArgument">True when an item is the function's single argument (Map, IMap), false for argument
/// lists.</param>
/// <param name="Chunks">How the items are cut into chunks.</param>
/// <param name="Output">Where the results go.</param>
/// <param name="Completion">Ends when the call does (the pool's Join waits for it).</param>
/// <param name="Gate">IMap's read-ahead limit, or null.</param>
/// <param name="Settings">The call's settings (timeout, name, progress).</param>
/// <param name="Checkpointed">True when the pool's checkpoint keeps its results (the maps; not Apply).</param>
/// <param name="Method">The pool method's name, for tracing.</param>
/// <param name="CancellationToken">Cancels the call.</param>
internal sealed record CallRequest<TItem>(
    FunctionRef Function, IEnumerable<TItem> Items, bool OneArgument, ChunkPlan Chunks, CallOutput Output,
        Task Completion,
    AheadGate? Gate, CallSettings Settings, bool Checkpointed, string Method, CancellationToken CancellationToken);
