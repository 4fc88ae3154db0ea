namespace ClusterPool.Workers;

/// <summary>
/// Which started workers may join the pool now. A worker waits (on its stdin) until it is told; at most
/// <c>joiningAtOnce</c> are told and not yet registered, so the coordinator answers a few handshakes at a time rather
/// than every worker's at once (64 workers under Wine, or 128 on Linux, starved each other's handshakes). Nobody is told
/// before the pool listens. Plain class: <see cref="LocalWorkerSpawner"/> drives it under its lock and tells whom it returns.
/// </summary>
/// <typeparam name="T">A started worker (its process).</typeparam>
internal sealed class JoinAdmission<T>(int joiningAtOnce, Func<T, int?> idOf)
{
    private readonly Queue<T> _waiting = new();
    private readonly HashSet<int> _joining = [];
    private bool _listening;

    /// <summary>How many were told and have not registered or exited yet.</summary>
    public int Joining => _joining.Count;

    /// <summary>A worker started: it waits its turn. Returns who may join now.</summary>
    public IReadOnlyList<T> Started(T worker)
    {
        _waiting.Enqueue(worker);
        return Next();
    }

    /// <summary>The pool listens: the first ones may join.</summary>
    public IReadOnlyList<T> Listening()
    {
        _listening = true;
        return Next();
    }

    /// <summary>A worker registered, or exited: its place goes to the next one waiting.</summary>
    public IReadOnlyList<T> Done(int id)
    {
        _joining.Remove(id);
        return Next();
    }

    private List<T> Next()
    {
        var told = new List<T>();
        while (_listening && _joining.Count < joiningAtOnce && _waiting.TryDequeue(out var next))
        {
            if (idOf(next) is not { } id) continue; // exited meanwhile
            _joining.Add(id);
            told.Add(next);
        }
        return told;
    }
}
