namespace ClusterPool.Calls;

/// <summary>One entry of a result stream: a value, or an error (a failed item's, in its place, or the one that ends the
/// stream).</summary>
internal readonly record struct StreamEntry<R>(R Value, Exception? Error);
