using System.Collections.Concurrent;
using Spectre.Console;

namespace ClusterPool.Demo;

/// <summary>
/// A Spectre.Console progress bar driven by the pool's own progress reports (<see cref="CallOptions.Progress"/>): the
/// items finished over every call it hears (Apply makes one call per task), against the items expected.
/// </summary>
internal sealed class CallsProgressBar(ProgressTask bar) : IProgress<CallProgress>
{
    private readonly ConcurrentDictionary<long, long> _finishedByCall = new();

    /// <summary>Takes one call's report: the bar shows the sum of every call's finished items.</summary>
    public void Report(CallProgress value)
    {
        _finishedByCall.AddOrUpdate(value.CallId, value.Done + value.Failed, (_, seen) =>
            Math.Max(seen, value.Done + value.Failed));
        bar.Value = _finishedByCall.Values.Sum();
    }
}
