using ClusterPool.Dashboard;

namespace ClusterPool;

/// <summary>
/// Checks a pool's <see cref="PoolOptions"/> before anything starts, as Python's <c>Pool(processes=0)</c> raises at
/// once: each wrong value is an <see cref="ArgumentOutOfRangeException"/> (or <see cref="ArgumentException"/>) naming it.
/// </summary>
internal static class PoolOptionsCheck
{
    /// <summary>The checked start, and the dashboard's endpoint when one was asked for.</summary>
    public static (PoolStart Start, DashboardEndpoint? Dashboard) Check(PoolOptions? options)
    {
        options ??= new PoolOptions();
        var processes = options.Processes ?? Environment.ProcessorCount;
        if (processes <= 0)
            throw OutOfRange(processes, $"{nameof(PoolOptions.Processes)} must be at least 1 (Python: \"Number of processes must be at least 1\")");
        if (options.SlotsPerProcess <= 0)
            throw OutOfRange(options.SlotsPerProcess, $"{nameof(PoolOptions.SlotsPerProcess)} must be at least 1");
        if (options.MaxTasksPerChild is < 0)
            throw OutOfRange(options.MaxTasksPerChild, $"{nameof(PoolOptions.MaxTasksPerChild)} must be 0 (no limit) or more");
        if (options.MaxMemoryPerChild is <= 0)
            throw OutOfRange(options.MaxMemoryPerChild,
                $"{nameof(PoolOptions.MaxMemoryPerChild)} must be a positive number of bytes, or null for no limit");
        Timeouts.ForTask(options.TaskTimeout, $"{nameof(PoolOptions)}.{nameof(PoolOptions.TaskTimeout)}");
        if (options.MaxRetries is < 0)
            throw OutOfRange(options.MaxRetries, $"{nameof(PoolOptions.MaxRetries)} must be 0 or more");
        if (options.ShutdownGrace is { } grace && grace < TimeSpan.Zero)
            throw OutOfRange(grace, $"{nameof(PoolOptions.ShutdownGrace)} must be zero or more");
        if (options.LocalWorkers is < 0)
            throw OutOfRange(options.LocalWorkers, $"{nameof(PoolOptions.LocalWorkers)} must be 0 or more");
        var dashboard = options.Dashboard is { } address ? DashboardEndpoint.Parse(address) : null;
        var clusterMode = options.ListenAddress is not null || options.SeedNodes is { Count: > 0 };
        var localWorkers = options.LocalWorkers ?? (clusterMode ? 0 : processes);
        return (new PoolStart(options, processes, localWorkers, clusterMode), dashboard);
    }

    private static ArgumentOutOfRangeException OutOfRange(object? value, string message) => new("options", value, message);
}
