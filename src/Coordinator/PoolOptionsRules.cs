using ClusterPool.Calls;
using ClusterPool.Dashboard;

namespace ClusterPool;

/// <summary>
/// What <see cref="Pool.Start"/> refuses in <see cref="PoolOptions"/> before anything starts, in one place: Start
/// throws the first problem, and a hosted pool's options validation (<c>ValidateOnStart</c>) reports them all.
/// </summary>
internal static class PoolOptionsRules
{
    /// <summary>Every problem of <paramref name="options"/>, in the order <see cref="Pool.Start"/> checks.</summary>
    public static IEnumerable<PoolOptionsProblem> Problems(PoolOptions options)
    {
        var processes = options.Processes ?? Environment.ProcessorCount;
        if (processes <= 0)
            yield return new(nameof(PoolOptions.Processes), processes,
                $"{nameof(PoolOptions.Processes)} must be at least 1 " +
                "(Python: \"Number of processes must be at least 1\")");
        if (options.SlotsPerProcess <= 0)
            yield return new(nameof(PoolOptions.SlotsPerProcess), options.SlotsPerProcess,
                $"{nameof(PoolOptions.SlotsPerProcess)} must be at least 1");
        if (options.MaxTasksPerChild is < 0)
            yield return new(nameof(PoolOptions.MaxTasksPerChild), options.MaxTasksPerChild,
                $"{nameof(PoolOptions.MaxTasksPerChild)} must be 0 (no limit) or more");
        if (options.MaxMemoryPerChild is <= 0)
            yield return new(nameof(PoolOptions.MaxMemoryPerChild), options.MaxMemoryPerChild,
                $"{nameof(PoolOptions.MaxMemoryPerChild)} must be a positive number of bytes, or null for no limit");
        if (TaskTimeoutProblem(options.TaskTimeout) is { } taskTimeout) yield return taskTimeout;
        if (options.MaxRetries is < 0)
            yield return new(nameof(PoolOptions.MaxRetries), options.MaxRetries,
                $"{nameof(PoolOptions.MaxRetries)} must be 0 or more");
        if (options.ShutdownGrace is { } grace && grace < TimeSpan.Zero)
            yield return new(nameof(PoolOptions.ShutdownGrace), grace,
                $"{nameof(PoolOptions.ShutdownGrace)} must be zero or more");
        if (options.LocalWorkers is < 0)
            yield return new(nameof(PoolOptions.LocalWorkers), options.LocalWorkers,
                $"{nameof(PoolOptions.LocalWorkers)} must be 0 or more");
        if (DashboardProblem(options.Dashboard) is { } dashboard) yield return dashboard;
        if (InitArgsProblem(options) is { } initArgs) yield return initArgs;
    }

    /// <summary>InitArgs that do not fit the initializer's parameters: found at Start, not in each worker.</summary>
    private static PoolOptionsProblem? InitArgsProblem(PoolOptions options)
    {
        if (options.Initializer is not { } initializer) return null;
        try { DelegateCalls.ForArguments(initializer).Checked(options.InitArgs, nameof(PoolOptions.InitArgs)); }
        catch (ArgumentException e)
        {
            return new(nameof(PoolOptions.InitArgs), options.InitArgs, new ArgumentException(
                $"{nameof(PoolOptions.InitArgs)} do not fit the {nameof(PoolOptions.Initializer)}: " +
                e.Message.Split(" (Parameter ")[0],
                nameof(PoolOptions.InitArgs)), nameof(PoolOptions.InitArgs));
        }
        return null;
    }

    private static PoolOptionsProblem? TaskTimeoutProblem(TimeSpan? timeout)
    {
        const string name = $"{nameof(PoolOptions)}.{nameof(PoolOptions.TaskTimeout)}";
        try { Timeouts.ForTask(timeout, name); }
        catch (ArgumentOutOfRangeException e) { return new(nameof(PoolOptions.TaskTimeout), timeout, e, name); }
        return null;
    }

    private static PoolOptionsProblem? DashboardProblem(string? address)
    {
        if (address is null) return null;
        try { DashboardEndpoint.Parse(address); }
        catch (ArgumentException e) { return new(nameof(PoolOptions.Dashboard), address, e, "options"); }
        return null;
    }
}
