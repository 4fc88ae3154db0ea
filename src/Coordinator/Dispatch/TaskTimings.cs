using ClusterPool.Contracts;

namespace ClusterPool.Dispatch;

/// <summary>
/// How long each function's items take, as a moving average per function, and from it how many chunks a slot may hold:
/// for short tasks a batch worth about <c>targetBatch</c> of work, so the round trip is paid once per batch; for long
/// or not-yet-measured tasks the one it runs and <c>prefetch</c> more, so that a slot has its next chunk before the
/// current one ends (Python's workers read theirs from a pipe already full) and never waits a round trip between items.
/// </summary>
internal sealed class TaskTimings(TimeSpan targetBatch, TimeSpan shortTask, int maxChunksPerSlot, int prefetch = 1)
{
    private readonly Dictionary<FunctionKey, double> _secondsPerItem = [];

    /// <summary>Records that <paramref name="items"/> items of <paramref name="function"/> took
    /// <paramref name="seconds"/>.</summary>
    public void Record(FunctionRef function, int items, double seconds)
    {
        if (items <= 0) return;
        var key = FunctionKey.Of(function);
        var sample = seconds / items;
        _secondsPerItem[key] = _secondsPerItem.TryGetValue(key, out var mean) ? mean * 0.8 + sample * 0.2 : sample;
    }

    /// <summary>How many chunks of <paramref name="function"/>, each of <paramref name="itemsPerChunk"/> items, a slot
    /// may hold at once.</summary>
    public int MaxHeld(FunctionRef function, int itemsPerChunk)
    {
        var prefetched = 1 + prefetch;
        if (!IsShort(function, itemsPerChunk, out var perChunk)) return prefetched;
        var fit = (int)Math.Ceiling(targetBatch.TotalSeconds / Math.Max(perChunk, 1e-7));
        return Math.Clamp(fit, Math.Max(2, prefetched), Math.Max(maxChunksPerSlot, prefetched));
    }

    /// <summary>
    /// True when a chunk of <paramref name="function"/> is known to be short (it travels in batches); false for long
    /// and not-yet-measured ones, which a slot holds only as the one it runs and the <c>prefetch</c> ones queued behind
    /// it.
    /// </summary>
    public bool IsShort(FunctionRef function, int itemsPerChunk) => IsShort(function, itemsPerChunk, out _);

    private bool IsShort(FunctionRef function, int itemsPerChunk, out double perChunk)
    {
        perChunk = _secondsPerItem.TryGetValue(FunctionKey.Of(function), out var perItem)
            ? perItem * Math.Max(1, itemsPerChunk) : double.PositiveInfinity;
        return perChunk < shortTask.TotalSeconds;
    }
}
