namespace ClusterPool.Worker;

/// <summary>The <see cref="IArrayInvoker"/> for <c>Func&lt;P, R&gt;</c>, made once per function by
/// <see cref="FunctionResolver"/>.</summary>
internal sealed class ArrayInvoker<P, R>(Func<P, R> function) : IArrayInvoker
{
    public Array NewResults(int length) => new R[length];

    public int Run(Array items, Array results, int from, long stopAt, CurrentChunk current, out Exception? error)
    {
        var typedResults = (R[])results;
        var i = from;
        error = null;
        try
        {
            // The clock and the flag are read after each item (a few nanoseconds: TickCount64 is the coarse clock), so
            // a chunk of long items reports its results as they finish, a dropped one stops at its next item, and a
            // chunk of tiny ones barely notices.
            if (items is P[] typed)
                while (i < typed.Length)
                {
                    typedResults[i] = function(typed[i]);
                    i++;
                    if (Environment.TickCount64 >= stopAt || current.YieldRequested) break;
                }
            else
                while (i < items.Length)
                {
                    typedResults[i] = function((P)items.GetValue(i)!);
                    i++;
                    if (Environment.TickCount64 >= stopAt || current.YieldRequested) break;
                }
        }
        catch (Exception e) { error = e; }
        return i;
    }
}
