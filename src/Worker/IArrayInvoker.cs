namespace ClusterPool.Worker;

/// <summary>Runs a one-parameter function over a typed array of arguments, without boxing (Map's hot path).</summary>
internal interface IArrayInvoker
{
    /// <summary>A typed array for the results of <paramref name="length"/> items.</summary>
    Array NewResults(int length);

    /// <summary>
    /// Calls the function on items <c>[from, ...)</c> in order, writing <paramref name="results"/>, until every item
    /// has run, one throws, or after an item <see cref="Environment.TickCount64"/> has reached
    /// <paramref name="stopAt"/> or <paramref name="current"/> was asked to yield (its call or chunk was dropped).
    /// Returns the index after the last item that finished; when an item threw, that is its index and
    /// <paramref name="error"/> is the exception.
    /// </summary>
    int Run(Array items, Array results, int from, long stopAt, CurrentChunk current, out Exception? error);
}
