using ClusterPool.Diagnostics;
using Akka.Actor;
using ClusterPool.Dispatch;
using ClusterPool.Lifecycle;

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
        // The program may make another pool next: spares get ready for it while this one finishes, when the cores are idle.
        if (Interlocked.CompareExchange(ref _state, Closed, Running) == Running) _spawner?.WatchForIdleCpu();
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

    /// <summary>
    /// Completes when every call made so far has finished, successfully or not (what <see cref="Join"/> waits for);
    /// after <see cref="Close"/> no call can be added. For a host's stop, which waits no longer than its timeout.
    /// </summary>
    internal Task CallsFinished()
    {
        Task[] pending;
        lock (_outstanding) pending = [.. _outstanding];
        return Task.WhenAll(pending).ContinueWith(_ => { }, TaskScheduler.Default); // each call reports its own failure
    }

    /// <summary>Terminates the pool, like leaving Python's <c>with Pool() as pool:</c> block.</summary>
    public void Dispose() => Terminate();

    /// <summary>Terminates the pool without blocking the calling thread.</summary>
    public ValueTask DisposeAsync() => new(Task.Run(Terminate));

    private int _shutDown;
    private int _interrupted;

    /// <summary>
    /// Ctrl+C or SIGTERM (<see cref="InterruptSignals"/>): the first stops cleanly within <see cref="PoolOptions.ShutdownGrace"/>,
    /// the second skips what is left of it.
    /// </summary>
    private void OnInterrupt(int count)
    {
        if (count > 1 || Interlocked.Exchange(ref _interrupted, 1) == 1)
        {
            _coordinator.Tell(PoolCoordinator.Hurry.Instance);
            return;
        }
        if (Volatile.Read(ref _state) == Terminated) return;
        Interlocked.CompareExchange(ref _state, Closed, Running); // no new calls from here on
        try
        {
            // The coordinator stops handing out work, cancels the running tasks' tokens, keeps what finishes within
            // the grace period, then fails every call with PoolInterruptedException: the callers' finally blocks run.
            _coordinator.Ask<Done>(new PoolCoordinator.Interrupt(_shutdownGrace, InterruptedError, () => _checkpoint?.Flush(TimeSpan.FromSeconds(10))),
                    _shutdownGrace + TimeSpan.FromSeconds(20))
                .Wait(_shutdownGrace + TimeSpan.FromSeconds(21));
        }
        catch (Exception) { /* stopped already: the shutdown below still stops every worker */ }
        // Then every local worker process stops, remote hosts were told to stop, and the coordinator leaves the cluster
        // (ActorSystem.Terminate runs Akka's CoordinatedShutdown).
        Shutdown(graceful: false);
    }

    private Exception InterruptedError(long finished) => new PoolInterruptedException(
        $"the run was interrupted (Ctrl+C or SIGTERM) before this call finished; {finished} of its items had finished" +
        (_checkpoint is null ? "" : $"; the results of Map, StarMap, IMap and IMapUnordered calls are stored in {_checkpoint.Path}: run the program again to resume"));

    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Shutdown(bool graceful)
    {
        Volatile.Write(ref _state, Terminated);
        if (Interlocked.Exchange(ref _shutDown, 1) == 1)
        {
            // Another thread is stopping the pool (an interrupt, while the caller's using block disposes it): wait for it,
            // so that this caller's program does not exit before the workers are stopped and the checkpoint written.
            _stopped.Task.Wait(TimeSpan.FromSeconds(30));
            return;
        }
        try { Stop(graceful); }
        finally { _stopped.TrySetResult(); }
    }

    private void Stop(bool graceful)
    {
        _dashboard?.Dispose(); // first: nothing asks the coordinator for its statistics while it stops
        _signals?.Dispose();
        PoolMetrics.Forget(this);
        try
        {
            _coordinator.Ask<Done>(new PoolCoordinator.StopAll(new PoolTerminatedException("the pool was terminated before this call finished")),
                TimeSpan.FromSeconds(2)).Wait(TimeSpan.FromSeconds(3));
        }
        catch (Exception) { /* the actor system may already be down; the processes are stopped below regardless */ }
        _spawner?.StopAll(graceful ? _stopGrace : TimeSpan.Zero);
        // A program that goes on may make another pool (the seed's demo makes eight in a row): spares this pool started
        // for it wait from now. Not after Ctrl+C: the program is stopping.
        if (Volatile.Read(ref _interrupted) == 0) _spawner?.KeepSparesWaiting();
        _checkpoint?.Dispose(); // what arrived is written, the file closed: nothing half-written
        _taskOutput?.DisposeAsync().AsTask().Wait(); // the tasks' last lines are printed before Close/Terminate returns
        // Terminate returns once the workers are gone; the actor system finishes leaving in the background.
        _system.Terminate().Wait(graceful ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(500));
    }

    private void OnSystemTerminated()
    {
        PoolMetrics.Forget(this);
        Volatile.Write(ref _state, Terminated);
        _spawner?.StopAll(TimeSpan.Zero);
        _dashboard?.Dispose();
    }

    private void ThrowIfTerminated()
    {
        ThrowIfInterrupted();
        if (Volatile.Read(ref _state) == Terminated) throw new ObjectDisposedException(nameof(Pool), "the pool was terminated or disposed");
    }

    /// <summary>After Ctrl+C or SIGTERM, whatever the caller does next with the pool says so.</summary>
    private void ThrowIfInterrupted()
    {
        if (Volatile.Read(ref _interrupted) == 1)
            throw new PoolInterruptedException("the run was interrupted (Ctrl+C or SIGTERM): the pool takes no more calls");
    }

    private void ThrowIfNotRunning()
    {
        ThrowIfTerminated();
        if (Volatile.Read(ref _state) == Closed)
            throw new InvalidOperationException("the pool is closed: it accepts no new calls (Python raises ValueError: Pool not running)");
    }
}
