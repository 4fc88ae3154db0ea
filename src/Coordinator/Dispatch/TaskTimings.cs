using ClusterPool.Contracts;

namespace ClusterPool.Dispatch;

/// <summary>
/// How long each function's items take, as a moving average per function, and from it how many chunks a slot may hold:
/// one for long or not-yet-measured tasks (like Python's pool, so a long task never waits behind another), a batch
/// worth about <c>targetBatch</c> of work for short tasks, so the round trip is paid once per batch.
/// </summary>
internal sealed class TaskTimings(TimeSpan targetBatch, TimeSpan shortTask, int maxChunksPerSlot)
{
    private readonly Dictionary<(Guid Build, string Type, string Method), double> _secondsPerItem = [];

    /// <summary>Records that <paramref name="items"/> items of <paramref name="function"/> took <paramref name="seconds"/>.</summary>
    public void Record(FunctionRef function, int items, double seconds)
    {
        if (items <= 0) return;
        var key = Key(function);
        var sample = seconds / items;
        _secondsPerItem[key] = _secondsPerItem.TryGetValue(key, out var mean) ? mean * 0.8 + sample * 0.2 : sample;
    }

    /// <summary>How many chunks of <paramref name="function"/>, each of <paramref name="itemsPerChunk"/> items, a slot may hold at once.</summary>
    public int MaxHeld(FunctionRef function, int itemsPerChunk)
    {
        if (!_secondsPerItem.TryGetValue(Key(function), out var perItem)) return 1;
        var perChunk = perItem * Math.Max(1, itemsPerChunk);
        if (perChunk >= shortTask.TotalSeconds) return 1;
        var fit = (int)Math.Ceiling(targetBatch.TotalSeconds / Math.Max(perChunk, 1e-7));
        return Math.Clamp(fit, 2, maxChunksPerSlot);
    }

    // Asked on every dispatch and result: a tuple of the reference's fields, no string built per call.
    private static (Guid, string, string) Key(FunctionRef function) => (function.ModuleVersionId, function.TypeName, function.MethodName);
}
