using Akka.Actor;
using ClusterPool.Dispatch;

namespace ClusterPool;

public sealed partial class Pool
{
    /// <summary>
    /// Accepts no more calls (Python's <c>close()</c>); calls already made run to the end. Then <see cref="Join"/>
    /// waits for them and stops the workers.
    /// </summary>
    public void Close()
    {
        ThrowIfTerminated();
        Interlocked.CompareExchange(ref _state, Closed, Running);
    }

    /// <summary>
    /// Stops at once (Python's <c>terminate()</c>): calls still running fail with <see cref="PoolTerminatedException"/>,
    /// worker processes are killed, the coordinator leaves. Returns within a couple of seconds. Safe to call twice.
    /// </summary>
    public void Terminate() => Shutdown(graceful: false);

    /// <summary>
    /// Waits for every call to finish, then stops the workers and the coordinator (Python's <c>join()</c>).
    /// Call <see cref="Close"/> or <see cref="Terminate"/> first; otherwise <see cref="InvalidOperationException"/>.
    /// </summary>
    public void Join()
    {
        if (Volatile.Read(ref _state) == Running)
            throw new InvalidOperationException("Join() needs Close() or Terminate() first (Python raises ValueError: Pool is still running)");
        Task[] pending;
        lock (_outstanding) pending = [.. _outstanding];
        try { Task.WaitAll(pending); } catch (AggregateException) { /* each call reports its own failure */ }
        Shutdown(graceful: true);
    }

    /// <summary>Terminates the pool, like leaving Python's <c>with Pool() as pool:</c> block.</summary>
    public void Dispose() => Terminate();

    /// <summary>Terminates the pool without blocking the calling thread.</summary>
    public ValueTask DisposeAsync() => new(Task.Run(Terminate));

    private int _shutDown;

    private void Shutdown(bool graceful)
    {
        Volatile.Write(ref _state, Terminated);
        if (Interlocked.Exchange(ref _shutDown, 1) == 1) return;
        try
        {
            _coordinator.Ask<Done>(new PoolCoordinator.StopAll(new PoolTerminatedException("the pool was terminated before this call finished")),
                TimeSpan.FromSeconds(2)).Wait(TimeSpan.FromSeconds(3));
        }
        catch (Exception) { /* the actor system may already be down; the processes are stopped below regardless */ }
        _spawner?.StopAll(graceful ? _stopGrace : TimeSpan.Zero);
        // Terminate returns once the workers are gone; the actor system finishes leaving in the background.
        _system.Terminate().Wait(graceful ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(500));
    }

    private void OnSystemTerminated()
    {
        Volatile.Write(ref _state, Terminated);
        _spawner?.StopAll(TimeSpan.Zero);
    }

    private void ThrowIfTerminated()
    {
        if (Volatile.Read(ref _state) == Terminated) throw new ObjectDisposedException(nameof(Pool), "the pool was terminated or disposed");
    }

    private void ThrowIfNotRunning()
    {
        ThrowIfTerminated();
        if (Volatile.Read(ref _state) == Closed)
            throw new InvalidOperationException("the pool is closed: it accepts no new calls (Python raises ValueError: Pool not running)");
    }
}
