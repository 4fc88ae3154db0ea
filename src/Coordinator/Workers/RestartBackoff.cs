namespace ClusterPool.Workers;

/// <summary>
/// How long a local worker's replacement waits: a worker that dies at once every time (a broken install) must not be
/// restarted in a tight loop, so after <see cref="FreeFailures"/> such exits in a row each replacement waits a second
/// longer, up to 10 s. Only a worker that exits soon and before it registered counts: one that registered worked,
/// however short its life (<c>MaxTasksPerChild = 1</c> retires each after one task; counted, its replacements waited up
/// to 10 s each, and 40 tasks of 50 ms on 2 processes took 122 s instead of 22). Thread-safe.
/// </summary>
internal sealed class RestartBackoff
{
    /// <summary>How many quick failures in a row are replaced at once.</summary>
    public const int FreeFailures = 5;

    /// <summary>A worker exiting sooner than this after its start, unregistered, failed at once.</summary>
    public static readonly TimeSpan Soon = TimeSpan.FromSeconds(2);

    private int _inARow;

    /// <summary>A worker exited after <paramref name="age"/>, having registered or not: how long its replacement
    /// waits.</summary>
    public TimeSpan OnExit(bool registered, TimeSpan age)
    {
        if (registered || age >= Soon)
        {
            Interlocked.Exchange(ref _inARow, 0);
            return TimeSpan.Zero;
        }
        var failures = Interlocked.Increment(ref _inARow);
        return failures > FreeFailures ? TimeSpan.FromSeconds(Math.Min(10, failures - FreeFailures)) : TimeSpan.Zero;
    }
}
