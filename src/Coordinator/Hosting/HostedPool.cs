using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ClusterPool.Hosting;

/// <summary>
/// The pool of a Generic Host or ASP.NET Core app (<c>services.AddClusterPool</c>): started when first asked for (a
/// hosted service or controller that takes a <see cref="Pool"/>), and at the latest as the host starts; stopped after
/// every other hosted service has stopped (<see cref="StoppedAsync"/>): calls in flight finish within the host's
/// shutdown timeout, then the pool terminates.
/// </summary>
internal sealed class HostedPool : IHostedLifecycleService, IDisposable, IAsyncDisposable
{
    private readonly Lazy<Task<Pool>> _start;

    /// <summary>Reads the options (validating them) only when the pool starts.</summary>
    public HostedPool(IOptions<PoolOptions> options) =>
        _start = new Lazy<Task<Pool>>(() => Pool.StartAsync(options.Value),
            LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The pool, started now if it was not yet. Throws <see cref="OptionsValidationException"/> for bad options and
    /// whatever <see cref="Pool.Start"/> throws if it cannot start.
    /// </summary>
    public Pool Pool => _start.Value.GetAwaiter().GetResult();

    /// <summary>Starts the pool before any hosted service's <c>StartAsync</c>, unless it was started already.</summary>
    public Task StartingAsync(CancellationToken cancellationToken) => _start.Value.WaitAsync(cancellationToken);

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// After every hosted service has stopped (the web server's requests drained, background services ended): the
    /// pool takes no more calls (<see cref="Pool.Close"/>), the calls in flight get until
    /// <paramref name="cancellationToken"/> (the host's shutdown timeout) to finish, then the workers stop
    /// (<see cref="Pool.Join"/>); calls still running then fail with <see cref="PoolTerminatedException"/>
    /// (<see cref="Pool.Terminate"/>).
    /// </summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (await StartedPool() is not { } pool) return;
        try { pool.Close(); }
        catch (ObjectDisposedException) { } // terminated already (disposed, or its actor system ended)
        catch (PoolInterruptedException) { }
        try
        {
            await pool.CallsFinished().WaitAsync(cancellationToken).ConfigureAwait(false);
            // Join blocks while the actor system, on the thread pool, stops: on a thread of its own (Pool.StartAsync).
            await Task.Factory.StartNew(pool.Join, CancellationToken.None, TaskCreationOptions.LongRunning,
                TaskScheduler.Default).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await pool.DisposeAsync().ConfigureAwait(false); // Terminate, without holding a thread

        }
    }

    /// <summary>Terminates the pool if it is still running (a host disposed without being stopped).</summary>
    public void Dispose()
    {
        if (_start.IsValueCreated && _start.Value.IsCompletedSuccessfully) _start.Value.Result.Terminate();
    }

    /// <summary>Terminates the pool if it is still running, without blocking the calling thread.</summary>
    public async ValueTask DisposeAsync()
    {
        if (await StartedPool() is { } pool) await pool.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The pool if it was started and did start; null if nobody asked for it or it failed to start.</summary>
    private async Task<Pool?> StartedPool()
    {
        if (!_start.IsValueCreated) return null;
        try { return await _start.Value.ConfigureAwait(false); }
        catch (Exception) { return null; } // its start failed, and said so to whoever started it
    }
}
