using System.Diagnostics;

namespace ClusterPool.Diagnostics;

/// <summary>
/// The <see cref="ActivitySource"/> <c>ClusterPool</c>: one span per call (<c>ClusterPool.Map</c>,
/// <c>ClusterPool.IMap</c>,
/// ...), from the call until its last result, tagged with the function, the items and how they ended, so OpenTelemetry
/// (<c>AddSource("ClusterPool")</c>) shows each call in the caller's trace.
/// </summary>
internal static class PoolTracing
{
    /// <summary>The source's name.</summary>
    public const string Name = "ClusterPool";

    private static readonly ActivitySource Source = new(Name,
        typeof(PoolTracing).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// Starts the span of a call made by <paramref name="method"/> (its <c>Async</c> suffix dropped) and ends it when
    /// <paramref name="completion"/> does. The caller's current activity stays current: the call runs on.
    /// </summary>
    public static void TraceCall(string method, string function, long? items, Task completion,
        Func<CallProgress> progress)
    {
        if (!Source.HasListeners()) return;
        var caller = Activity.Current;
        var name = method.EndsWith("Async", StringComparison.Ordinal) ? method[..^5] : method;
        var activity = Source.StartActivity($"ClusterPool.{name}", ActivityKind.Internal);
        Activity.Current = caller;
        if (activity is null) return;
        activity.SetTag("clusterpool.function", function);
        if (items is { } count) activity.SetTag("clusterpool.items", count);
        completion.ContinueWith(done =>
        {
            var end = progress();
            activity.SetTag("clusterpool.items.done", end.Done);
            activity.SetTag("clusterpool.items.failed", end.Failed);
            if (done.Exception?.InnerException is { } error) activity.SetStatus(
                ActivityStatusCode.Error, $"{error.GetType().Name}: {error.Message}");
            else activity.SetStatus(ActivityStatusCode.Ok);
            activity.Dispose();
        }, TaskScheduler.Default);
    }
}
