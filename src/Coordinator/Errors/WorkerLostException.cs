namespace ClusterPool;

/// <summary>
/// An item was running on a worker that was lost (its process died, or its host became unreachable) more often than
/// <see cref="PoolOptions.MaxRetries"/> allows: the task probably kills its worker (a crash, an out-of-memory kill).
/// The message names the item, its arguments and how many workers went down with it. The call's other items still ran.
/// </summary>
public sealed class WorkerLostException : Exception, IFailedItem
{
    /// <summary>Creates the exception.</summary>
    public WorkerLostException(string function, long itemIndex, string arguments, int workersLost, int maxRetries,
        string lastLoss)
        : base($"item {itemIndex} of {function} {arguments} took down {workersLost} workers in a row (the last: " +
            $"{lastLoss}); " +
               $"it probably kills its worker. It was retried {maxRetries} times (PoolOptions.MaxRetries, " +
                   "clusterpool.max-retries).")
    {
        Function = function;
        ItemIndex = itemIndex;
        Arguments = arguments;
        WorkersLost = workersLost;
    }

    /// <summary>The function, as <c>Type.Method</c>.</summary>
    public string Function { get; }

    /// <summary>The item's index in the call's input (0 for Apply).</summary>
    public long ItemIndex { get; }

    /// <summary>A short form of the item's arguments, for example <c>(5)</c>.</summary>
    public string Arguments { get; }

    /// <summary>How many workers were lost while running it.</summary>
    public int WorkersLost { get; }
}
