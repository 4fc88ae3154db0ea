namespace ClusterPool.Worker;

/// <summary>Runs a one-parameter function over a typed array of arguments, without boxing (Map's hot path).</summary>
internal interface IArrayInvoker
{
    /// <summary>
    /// Calls the function on each item in order and returns the typed results. Stops at the first exception: then
    /// <paramref name="completed"/> is its index and <paramref name="error"/> the exception.
    /// </summary>
    Array Run(Array items, out int completed, out Exception? error);
}

/// <summary>The <see cref="IArrayInvoker"/> for <c>Func&lt;P, R&gt;</c>, made once per function by <see cref="FunctionResolver"/>.</summary>
internal sealed class ArrayInvoker<P, R>(Func<P, R> function) : IArrayInvoker
{
    public Array Run(Array items, out int completed, out Exception? error)
    {
        var results = new R[items.Length];
        var i = 0;
        error = null;
        try
        {
            if (items is P[] typed)
                for (; i < typed.Length; i++) results[i] = function(typed[i]);
            else
                for (; i < items.Length; i++) results[i] = function((P)items.GetValue(i)!);
        }
        catch (Exception e) { error = e; }
        completed = i;
        return results;
    }
}
