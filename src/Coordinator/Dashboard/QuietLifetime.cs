using Microsoft.Extensions.Hosting;

namespace ClusterPool.Dashboard;

/// <summary>
/// The dashboard host's lifetime: none of its own. The default (ConsoleLifetime) would take Ctrl+C and SIGTERM from
/// the program and the pool (<see cref="PoolOptions.HandleInterrupts"/>) and hold the process at exit until the host
/// stopped; the pool starts and stops the dashboard itself.
/// </summary>
internal sealed class QuietLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
