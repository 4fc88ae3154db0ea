using ClusterPool.Dashboard;

namespace ClusterPool;

/// <summary>
/// Checks a pool's <see cref="PoolOptions"/> before anything starts, as Python's <c>Pool(processes=0)</c> raises at
/// once: the first wrong value (<see cref="PoolOptionsRules"/>) is an <see cref="ArgumentOutOfRangeException"/> (or
/// <see cref="ArgumentException"/>) naming it.
/// </summary>
internal static class PoolOptionsCheck
{
    /// <summary>The checked start, and the dashboard's endpoint when one was asked for.</summary>
    public static (PoolStart Start, DashboardEndpoint? Dashboard) Check(PoolOptions? options)
    {
        options ??= new PoolOptions();
        var processes = options.Processes ?? Environment.ProcessorCount;
        // The same checks a hosted pool's options validation reports (AddClusterPool): the first one found is thrown.
        if (PoolOptionsRules.Problems(options).FirstOrDefault() is { } problem) throw problem.ToException();
        var dashboard = options.Dashboard is { } address ? DashboardEndpoint.Parse(address) : null;
        var clusterMode = options.ListenAddress is not null || options.SeedNodes is { Count: > 0 };
        var localWorkers = options.LocalWorkers ?? (clusterMode ? 0 : processes);
        return (new PoolStart(options, processes, localWorkers, clusterMode), dashboard);
    }
}
