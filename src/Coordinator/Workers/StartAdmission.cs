namespace ClusterPool.Workers;

/// <summary>
/// Which worker processes start now, and which started ones may join. At most <c>startingAtOnce</c> are starting
/// (launched, and not yet registered or exited); the next one is launched as one of them registers or exits. Started
/// processes wait (on their stdin) until the pool listens, then join. All at once, many workers on few cores starve
/// each other and their pool: 64 under Wine on 2 cores were ready in 173 s all at once, in 51-65 s four at a time.
/// Plain class: <see cref="LocalWorkerSpawner"/> drives it under its lock, launches as many as it is told, and tells
/// whom it returns that the pool listens.
/// </summary>
/// <typeparam name="T">A worker process.</typeparam>
internal sealed class StartAdmission<T>(int startingAtOnce) where T : notnull
{
    private readonly HashSet<T> _starting = [];
    private readonly HashSet<T> _exitedBeforeStarted = [];
    private int _toLaunch;
    private int _launching;
    private bool _listening;
    private bool _oneFirst;

    /// <summary>How many are launching or starting now.</summary>
    public int Starting => _launching + _starting.Count;

    /// <summary>How many are wanted and wait for a place.</summary>
    public int Queued => _toLaunch;

    /// <summary>
    /// The first worker starts alone, and the rest once it has registered (or exited, or failed to launch): on fewer
    /// cores than the pool has processes, one that starts alone is up sooner than one of several that share the cores,
    /// and the first call can run on it meanwhile.
    /// </summary>
    public void StartOneFirst() => _oneFirst = true;

    /// <summary>Whether a pool of <paramref name="processes"/> starts one first (<see cref="StartOneFirst"/>): where
    /// its processes and its own outnumber the <paramref name="cores"/>, and no spare waits (spares are up
    /// already).</summary>
    public static bool ShouldStartOneFirst(int processes, int cores, int sparesWaiting) =>
        processes > 1 && processes >= cores && sparesWaiting == 0;

    /// <summary><paramref name="count"/> more workers are wanted (the first ones, or replacements). Returns how many to
    /// launch now.</summary>
    public int Want(int count)
    {
        _toLaunch += count;
        return Launches();
    }

    /// <summary>A launch returned <paramref name="worker"/>'s running process. Returns who may join now: it, once the
    /// pool listens.</summary>
    public IReadOnlyList<T> Started(T worker)
    {
        _launching--;
        if (_exitedBeforeStarted.Remove(worker)) return []; // its exit was seen first: its place is free already
        _starting.Add(worker);
        return _listening ? [worker] : [];
    }

    /// <summary>A launch failed: its place is free. Returns how many to launch now (none for the failed one: the caller
    /// decides when to try again).</summary>
    public int LaunchFailed()
    {
        _launching--;
        _oneFirst = false;
        return Launches();
    }

    /// <summary>The pool listens: every started worker may join (none registers before it is told, so all of them
    /// wait).</summary>
    public IReadOnlyList<T> Listening()
    {
        _listening = true;
        return [.. _starting];
    }

    /// <summary>A worker registered: it no longer starts. Returns how many to launch now.</summary>
    public int Registered(T worker)
    {
        _starting.Remove(worker);
        _oneFirst = false;
        return Launches();
    }

    /// <summary>Whether <paramref name="worker"/> was started and has not registered yet.</summary>
    public bool IsStarting(T worker) => _starting.Contains(worker);

    /// <summary>A worker's process exited (registered or not). Returns how many to launch now.</summary>
    public int Exited(T worker, bool wasStarted)
    {
        if (!_starting.Remove(worker) && !wasStarted) _exitedBeforeStarted.Add(worker);
        _oneFirst = false;
        return Launches();
    }

    /// <summary>How many to launch now for places freed otherwise (a worker whose exit was seen before its
    /// start).</summary>
    public int Launchable() => Launches();

    private int Launches()
    {
        var now = Math.Min(_toLaunch, (_oneFirst ? 1 : startingAtOnce) - Starting);
        if (now <= 0) return 0;
        _toLaunch -= now;
        _launching += now;
        return now;
    }
}
