using ClusterPool.Dashboard;
using ClusterPool.Hosts;

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
        var hosts = Hosts(options);
        var clusterMode = options.ListenAddress is not null || options.SeedNodes is { Count: > 0 } || hosts.Count > 0;
        // Processes keeps its meaning beside Hosts: the workers on this machine.
        var localWorkers = options.LocalWorkers ?? (clusterMode && hosts.Count == 0 ? 0 : processes);
        return (new PoolStart(options, processes, localWorkers, clusterMode, hosts), dashboard);
    }

    /// <summary><see cref="PoolOptions.Hosts"/> and the entries of <see cref="PoolOptions.HostsFile"/>.</summary>
    private static List<HostSpec> Hosts(PoolOptions options)
    {
        var hosts = new List<HostSpec>();
        foreach (var entry in options.Hosts ?? [])
        {
            try { hosts.Add(HostSpec.Parse(entry)); }
            catch (ArgumentException e) { throw new ArgumentException(
                $"{nameof(PoolOptions)}.{nameof(PoolOptions.Hosts)}: {e.Message}", "options", e); }
        }
        if (options.HostsFile is { } file)
        {
            if (!File.Exists(file)) throw new ArgumentException(
                $"{nameof(PoolOptions)}.{nameof(PoolOptions.HostsFile)}: {Path.GetFullPath(file)} does not exist",
                "options");
            try { hosts.AddRange(HostSpec.ReadFile(file)); }
            catch (ArgumentException e) { throw new ArgumentException(
                $"{nameof(PoolOptions)}.{nameof(PoolOptions.HostsFile)}: {e.Message}", "options", e); }
        }
        if (hosts.GroupBy(h => h.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException(
                $"{nameof(PoolOptions)}.{nameof(PoolOptions.Hosts)} names {twice.Key} twice: give it slots=N once",
                "options");
        return hosts;
    }
}
