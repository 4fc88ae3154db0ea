using Akka.Actor;
using ClusterPool.Diagnostics;
using ClusterPool.Dispatch;
using ClusterPool.Lifecycle;

namespace ClusterPool;

public sealed partial class Pool
{
    private int _shutDown;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Accepts no more calls (Python's <c>close()</c>); calls already made run to the end. Then <see cref="Join"/>
    /// waits for them and stops the workers. Does nothing on a pool already closed, terminated or interrupted, as
    /// Python's <c>close()</c> (clean-up code may call it after <see cref="Terminate"/>).
    /// </summary>
    public void Close()
    {
        // The program may make another pool next: spares get ready for it while this one finishes, when the cores are
        // idle.
        if (_state.Close()) _parts.Spawner?.WatchForIdleCpu();
    }

    /// <summary>
    /// Stops at once (Python's <c>terminate()</c>): calls still running fail with
    /// <see cref="PoolTerminatedException"/>,
    /// worker processes are killed, the coordinator leaves. Returns within a couple of seconds. Safe to call twice.
    /// </summary>
    public void Terminate() => Wait(ShutdownAsync(graceful: false));

    /// <summary>
    /// Waits for every call to finish, then stops the workers and the coordinator (Python's <c>join()</c>). An
    /// <c>IMap</c> whose results were not all taken runs to its end too; they wait in the iterator (as Python's do), no
    /// longer held back by its read-ahead limit. Call <see cref="Close"/> or <see cref="Terminate"/> first; otherwise
    /// <see cref="InvalidOperationException"/>, as also inside one of the pool's callbacks (where Join would wait for
    /// ever: the call whose callback runs ends only once the callback returns; Python raises <c>RuntimeError</c>).
    /// </summary>
    public void Join()
    {
        if (_parts.Submitter.Callbacks.IsRunningHere)
            throw new InvalidOperationException(
                "Join() inside a callback would wait for ever: it waits for every call, and the call whose callback is "
                + "running ends only when the callback returns (Python raises RuntimeError: cannot join current "
                + "thread). Call Close() in the callback if need be, and Join() from the main thread.");
        if (_state.IsRunning)
            throw new InvalidOperationException(
                "Join() needs Close() or Terminate() first (Python raises ValueError: Pool is still running)");
        var interruptedBefore = _state.WasInterrupted;
        try { Task.WaitAll(_parts.Submitter.LetAllFinish()); }
        catch (AggregateException) { /* each call reports its own failure */ }
        Wait(ShutdownAsync(graceful: true));
        // Ctrl+C while Join waited ends Join as it ends any call (Python's KeyboardInterrupt comes out of join()): the
        // program must not go on as if its calls had finished.
        if (!interruptedBefore && _state.WasInterrupted)
            throw new PoolInterruptedException("the run was interrupted (Ctrl+C or SIGTERM) while Join() waited for " +
                "its calls" + (_parts.Checkpoint is { } checkpoint
                    ? $"; what finished is stored in {checkpoint.Path}: run the program again to resume" : ""));
    }

    /// <summary>
    /// Completes when every call made so far has finished, successfully or not (what <see cref="Join"/> waits for);
    /// after <see cref="Close"/> no call can be added. For a host's stop, which waits no longer than its timeout.
    /// </summary>
    internal Task CallsFinished()
    {
        // Each call reports its own failure.
        return Task.WhenAll(_parts.Submitter.LetAllFinish()).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Terminates the pool, like leaving Python's <c>with Pool() as pool:</c> block.</summary>
    public void Dispose() => Terminate();

    /// <summary>Terminates the pool, as <see cref="Terminate"/>, without holding a thread while the workers
    /// stop.</summary>
    public ValueTask DisposeAsync() => new(ShutdownAsync(graceful: false));

    /// <summary>
    /// Ctrl+C or SIGTERM (<see cref="InterruptSignals"/>): the first stops cleanly within
    /// <see cref="PoolOptions.ShutdownGrace"/>, the second skips what is left of it. (Internal for tests, which cannot
    /// send the test host a signal.)
    /// </summary>
    internal void OnInterrupt(int count)
    {
        if (count > 1 || !_state.Interrupt())
        {
            _parts.Coordinator.Tell(PoolCoordinator.Hurry.Instance);
            return;
        }
        if (_state.IsTerminated) return;
        _state.Close(); // no new calls from here on
        var grace = _parts.Settings.ShutdownGrace;
        try
        {
            // The coordinator stops handing out work, cancels the running tasks' tokens, keeps what finishes within
            // the grace period, then fails every call with PoolInterruptedException: the callers' finally blocks run.
            var interrupt = new PoolCoordinator.Interrupt(grace, InterruptedError, () =>
                _parts.Checkpoint?.Flush(TimeSpan.FromSeconds(10)));
            _parts.Coordinator.Ask<Done>(interrupt, grace + TimeSpan.FromSeconds(20)).Wait(
                grace + TimeSpan.FromSeconds(21));
        }
        catch (Exception) { /* stopped already: the shutdown below still stops every worker */ }
        // Then every local worker process stops, remote hosts were told to stop, and the coordinator leaves the cluster
        // (ActorSystem.Terminate runs Akka's CoordinatedShutdown).
        Wait(ShutdownAsync(graceful: false));
    }

    private Exception InterruptedError(long finished) => new PoolInterruptedException(
        $"the run was interrupted (Ctrl+C or SIGTERM) before this call finished; {finished} of its items had finished" +
        (_parts.Checkpoint is not { } checkpoint ? ""
            : $"; the results of Map, StarMap, IMap and IMapUnordered calls are stored in {checkpoint.Path}: run the " +
                "program again to resume"));

    private async Task ShutdownAsync(bool graceful)
    {
        _state.Terminate();
        if (Interlocked.Exchange(ref _shutDown, 1) == 1)
        {
            // Another thread is stopping the pool (an interrupt, while the caller's using block disposes it): wait for
            // it, so that this caller's program does not exit before the workers are stopped and the checkpoint
            // written.
            try { await _stopped.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false); }
            catch (TimeoutException) { }
            return;
        }
        try { await StopAsync(graceful).ConfigureAwait(false); }
        finally { _stopped.TrySetResult(); }
    }

    private async Task StopAsync(bool graceful)
    {
        // The dashboard first: nothing asks the coordinator for its statistics while it stops.
        if (_dashboard is not null) await _dashboard.DisposeAsync().ConfigureAwait(false);
        _signals?.Dispose();
        PoolMetrics.Forget(this);
        _parts.Remote?.BeginStop(); // the hosts' sessions end now as the coordinator tells them to leave: no loss
        try
        {
            var stop = new PoolCoordinator.StopAll(new PoolTerminatedException(
                "the pool was terminated before this call finished"));
            await _parts.Coordinator.Ask<Done>(stop, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception) { /* the actor system may already be down; the processes are stopped below regardless */ }
        if (_parts.Spawner is { } spawner)
        {
            await spawner.StopAllAsync(graceful ? _parts.Settings.LocalWorkers.StopGrace : TimeSpan.Zero)
                .ConfigureAwait(false);
            // A program that goes on may make another pool (the seed's demo makes eight in a row): spares this pool
            // started for it wait from now. Not after Ctrl+C: the program is stopping.
            if (!_state.WasInterrupted) spawner.KeepSparesWaiting();
        }
        // The hosts were told to stop by the coordinator; closing their sessions ends what is left of them.
        if (_parts.Remote is { } remote) await remote.StopAllAsync(RemoteStopGrace).ConfigureAwait(false);
        _parts.Checkpoint?.Dispose(); // what arrived is written, the file closed: nothing half-written
        _parts.Shared.Clear(_parts.SharedFolder); // the workers are gone: their copies go
        // The tasks' last lines are printed before Close/Terminate returns.
        if (_parts.TaskOutput is { } output) await output.DisposeAsync().ConfigureAwait(false);
        // Terminate returns once the workers are gone; the actor system finishes leaving in the background. A pool
        // whose only workers were its own processes, all gone by now, has no one to leave: only its coordinator's stop
        // is awaited (its clean-up removes the hand-over folder in memory), not the system's wind-down (30-40 ms, and
        // up to the 500 ms below when Akka waited to flush to the killed workers: pools of the seed's demo paid it).
        // Hosts of a cluster, or started over SSH, are told it leaves first.
        if (_parts.HasOnlyOwnWorkers)
        {
            try
            {
                await _parts.Coordinator.GracefulStop(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                if (await HandOnSystemAsync().ConfigureAwait(false)) return;
            }
            catch (Exception) { /* stopped already, or slow: the actor system's end removes it all the same */ }
        }
        var terminated = _parts.System.Terminate();
        if (_parts.HasOnlyOwnWorkers) return;
        try { await terminated.WaitAsync(graceful ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(500))
            .ConfigureAwait(false); }
        catch (TimeoutException) { }
    }

    /// <summary>
    /// Keeps this pool's actor system for the program's next pool (<see cref="KeptActorSystems"/>), once its
    /// coordinator has stopped and its workers are gone: its server of shared values stops too, and nothing of this
    /// pool is left in it. Not after Ctrl+C (the program is stopping), nor without spares (keep-for 0: nothing is
    /// kept).
    /// </summary>
    private async Task<bool> HandOnSystemAsync()
    {
        var keepFor = _parts.Settings.LocalWorkers.Spares.KeepFor;
        if (_parts.KeepKey is not { } key || _state.WasInterrupted || keepFor <= TimeSpan.Zero) return false;
        await _parts.Sharing.GracefulStop(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        await _ownsSystem.CancelAsync().ConfigureAwait(false);
        KeptActorSystems.Shared.Keep(_parts.System, _parts.Address, key, _parts.Logging, keepFor);
        return true;
    }

    /// <summary>How long the hosts' sessions may take to end once closed (the worker host there kills its tasks at
    /// once).</summary>
    private static readonly TimeSpan RemoteStopGrace = TimeSpan.FromSeconds(3);

    /// <summary>
    /// However the actor system ended, its workers go. Awaited, never waited for: it runs on the thread pool, and a
    /// pool thread held here while another one stops the processes was one fewer for the program, and for the next
    /// pool's start (which waited for .NET to add one).
    /// </summary>
    private async Task OnSystemTerminatedAsync()
    {
        PoolMetrics.Forget(this);
        _state.Terminate();
        if (_parts.Spawner is { } spawner) await spawner.StopAllAsync(TimeSpan.Zero).ConfigureAwait(false);
        _parts.Remote?.StopAll();
        if (_dashboard is not null) await _dashboard.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for <paramref name="stopping"/> on this thread, for the synchronous forms: its awaits run on the thread
    /// pool, so a caller on a single-threaded context (a UI, a test framework's) cannot deadlock it.
    /// </summary>
    private static void Wait(Task stopping) => stopping.GetAwaiter().GetResult();
}
