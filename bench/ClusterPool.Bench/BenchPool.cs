using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// A pool started for a benchmark, wired to Ctrl+C. Disposing it terminates the pool, so no worker process outlives a
/// suite, whether it ends normally, throws, or is interrupted.
/// </summary>
internal sealed class BenchPool : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly CancellationTokenRegistration _stop;

    private BenchPool(Pool pool, CancellationToken cancel)
    {
        Pool = pool;
        _stop = cancel.Register(pool.Terminate);
    }

    /// <summary>The pool.</summary>
    public Pool Pool { get; }

    /// <summary>
    /// Starts a pool of <paramref name="processes"/> without waiting for its workers (as Python's <c>Pool()</c> returns
    /// while its processes start). Ctrl+C (<paramref name="cancel"/>) terminates it.
    /// </summary>
    public static BenchPool Start(int processes, CancellationToken cancel) =>
        new(Pool.Start(new PoolOptions { Processes = processes }), cancel);

    /// <summary>
    /// Starts a pool and waits until every worker slot has registered, so start-up is not timed as overhead.
    /// </summary>
    public static BenchPool StartReady(int processes, CancellationToken cancel) => StartReady(new PoolOptions { Processes = processes }, cancel);

    /// <summary>Starts a pool with <paramref name="options"/> and waits until every worker slot has registered.</summary>
    public static BenchPool StartReady(PoolOptions options, CancellationToken cancel)
    {
        var processes = options.Processes ?? Environment.ProcessorCount;
        var started = new BenchPool(Pool.Start(options), cancel);
        try
        {
            var clock = Stopwatch.StartNew();
            // Short waits, so Ctrl+C is noticed while the workers start.
            while (!started.Pool.WaitUntilReady(TimeSpan.FromMilliseconds(100)))
            {
                cancel.ThrowIfCancellationRequested();
                if (clock.Elapsed > ReadyTimeout)
                    throw new TimeoutException($"only {started.Pool.Slots} of {processes} worker processes registered within {ReadyTimeout.TotalSeconds:0} s");
            }
            return started;
        }
        catch
        {
            started.Dispose();
            throw;
        }
    }

    /// <summary>Terminates the pool (a no-op after Close and Join).</summary>
    public void Dispose()
    {
        _stop.Dispose();
        Pool.Dispose();
    }

    /// <summary>Throws if a benchmark's results are wrong: a fast wrong answer is no benchmark.</summary>
    public static void Verify(bool ok, string what)
    {
        if (!ok) throw new InvalidOperationException($"wrong results: {what}");
    }
}
