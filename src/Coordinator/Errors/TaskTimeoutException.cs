namespace ClusterPool;

/// <summary>An item ran longer than its task timeout (<see cref="PoolOptions.TaskTimeout"/> or
/// <see cref="CallOptions.TaskTimeout"/>).</summary>
public sealed class TaskTimeoutException : TimeoutException, IFailedItem
{
    /// <summary>Creates the exception; the message names the item, its arguments and the timeout.</summary>
    public TaskTimeoutException(string function, long itemIndex, string arguments, TimeSpan timeout,
        bool workerRecycled)
        : base($"item {itemIndex} of {function} {arguments} ran longer than its task timeout of " +
            $"{timeout.TotalSeconds:0.###} s" +
               (workerRecycled
                   ? "; it ignored its cancelled CancellationToken, so its worker process was recycled to stop it"
                   : ""))
    {
        Function = function;
        ItemIndex = itemIndex;
        Arguments = arguments;
        Timeout = timeout;
        WorkerRecycled = workerRecycled;
    }

    /// <summary>The function, as <c>Type.Method</c>.</summary>
    public string Function { get; }

    /// <summary>The item's index in the call's input (0 for Apply).</summary>
    public long ItemIndex { get; }

    /// <summary>A short form of the item's arguments, for example <c>(5)</c>.</summary>
    public string Arguments { get; }

    /// <summary>The timeout it exceeded.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>True when the task ignored its token and its worker process was replaced to stop it.</summary>
    public bool WorkerRecycled { get; }
}
