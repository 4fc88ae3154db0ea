namespace ClusterPool.Worker;

/// <summary>
/// <c>MaxTasksPerChild</c> for one worker process, shared by its slots' runners: a chunk starts only while the budget
/// lasts, checked on the runner's thread just before it runs, so a chunk that arrives while the process is retiring is
/// handed back rather than run as one task too many.
/// </summary>
internal sealed class TaskBudget(int maxTasks)
{
    private int _started;

    /// <summary>Counts one more task; false (and nothing counted) when the process has used its share.</summary>
    public bool TryStart()
    {
        if (maxTasks <= 0) return true;
        if (Interlocked.Increment(ref _started) <= maxTasks) return true;
        Interlocked.Decrement(ref _started);
        return false;
    }
}
