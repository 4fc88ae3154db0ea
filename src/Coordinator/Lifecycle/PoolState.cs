namespace ClusterPool.Lifecycle;

/// <summary>
/// Where a pool is in its life, as Python's pool has it: running (takes calls), closed (runs what it has, takes no
/// more), terminated (stopped); and whether Ctrl+C interrupted it. Shared by the pool and the calls it takes;
/// thread-safe.
/// </summary>
internal sealed class PoolState
{
    private const int Running = 0, Closed = 1, Terminated = 2;

    private int _state;
    private int _interrupted;
    private bool _wasClosed;

    public bool IsRunning => Volatile.Read(ref _state) == Running;

    public bool IsTerminated => Volatile.Read(ref _state) == Terminated;

    public bool WasInterrupted => Volatile.Read(ref _interrupted) == 1;

    /// <summary>Running → closed; true when this call closed it (false on a pool already closed or stopped).</summary>
    public bool Close()
    {
        if (Interlocked.CompareExchange(ref _state, Closed, Running) != Running) return false;
        Volatile.Write(ref _wasClosed, true);
        return true;
    }

    public void Terminate() => Volatile.Write(ref _state, Terminated);

    /// <summary>Records an interrupt; true for the first.</summary>
    public bool Interrupt() => Interlocked.Exchange(ref _interrupted, 1) == 0;

    /// <summary>Throws unless the pool takes calls: <see cref="PoolInterruptedException"/>, disposed, or
    /// closed.</summary>
    public void ThrowIfNotRunning()
    {
        ThrowIfTerminated();
        if (Volatile.Read(ref _state) == Closed)
            throw new InvalidOperationException(
                "the pool is closed: it accepts no new calls (Python raises ValueError: Pool not running)");
    }

    /// <summary>Throws when the pool was interrupted or terminated.</summary>
    public void ThrowIfTerminated()
    {
        if (WasInterrupted)
            throw new PoolInterruptedException(
                "the run was interrupted (Ctrl+C or SIGTERM): the pool takes no more calls");
        if (IsTerminated) throw new ObjectDisposedException(nameof(Pool), Volatile.Read(ref _wasClosed)
            ? "the pool was closed and has stopped: it takes no new calls (Python raises ValueError: Pool not running)"
            : "the pool was terminated or disposed");
    }
}
