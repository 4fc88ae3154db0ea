using Microsoft.Extensions.Logging;

namespace ClusterPool.Dashboard;

/// <summary>
/// Hands the dashboard's web server's log lines (Kestrel, hosting) to the pool's <see cref="ILoggerFactory"/>, so that
/// they go where the pool's go (never stdout). Disposing it leaves the pool's factory alone: the pool owns it.
/// </summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

    /// <inheritdoc />
    public void Dispose() { }
}
