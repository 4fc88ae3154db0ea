namespace ClusterPool;

/// <summary>
/// An error about one item of a call, which it names: <see cref="WorkerLostException"/> and
/// <see cref="TaskTimeoutException"/>.
/// Catch on it to log or skip the item whatever the cause: <c>catch (Exception e) when (e is IFailedItem item)</c>.
/// </summary>
public interface IFailedItem
{
    /// <summary>The function, as <c>Type.Method</c>.</summary>
    string Function { get; }

    /// <summary>The item's index in the call's input (0 for Apply).</summary>
    long ItemIndex { get; }

    /// <summary>A short form of the item's arguments, for example <c>(5)</c>.</summary>
    string Arguments { get; }
}
