namespace ClusterPool.Workers;

/// <summary>
/// Tells a pool whose workers cannot start from one whose workers come and go: local worker processes that exit
/// before they ever registered, <see cref="Limit"/> in a row, mean a broken install or setting, and every call waiting
/// for a worker would wait for ever. Plain class, driven by the coordinator actor.
/// </summary>
internal sealed class StartFailures
{
    /// <summary>How many workers in a row must fail to start before the pool says it cannot start them.</summary>
    public const int Limit = 3;

    private int _inARow;

    /// <summary>
    /// A local worker process exited. Returns the error for the waiting calls once <see cref="Limit"/> in a row never
    /// registered; null otherwise (a registered worker that exits is no start failure, and resets the count).
    /// </summary>
    public WorkerStartException? OnExit(bool registered, int pid, int exitCode, IReadOnlyList<string> lastErrorLines)
    {
        if (registered)
        {
            _inARow = 0;
            return null;
        }
        return ++_inARow >= Limit ? new WorkerStartException(_inARow, pid, exitCode, lastErrorLines) : null;
    }

    /// <summary>A worker registered: the install works.</summary>
    public void OnRegistered() => _inARow = 0;
}
