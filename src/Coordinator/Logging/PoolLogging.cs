using Microsoft.Extensions.Logging;

namespace ClusterPool.Logging;

/// <summary>
/// Where a pool's log lines go: <see cref="PoolOptions.LoggerFactory"/>, or by default one line per message on stderr
/// (warnings and errors only), never on stdout, which belongs to the program.
/// </summary>
internal static class PoolLogging
{
    /// <summary>The category of the pool's own messages.</summary>
    public const string Category = "ClusterPool";

    private static readonly Lazy<ILoggerFactory> Default = new(CreateDefault);

    /// <summary>The factory a pool logs through: the one given, or the shared stderr default.</summary>
    public static ILoggerFactory FactoryFor(PoolOptions options) => options.LoggerFactory ?? Default.Value;

    private static ILoggerFactory CreateDefault()
    {
        var factory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace) // every level on stderr
            .AddSimpleConsole(format =>
            {
                format.SingleLine = true;
                format.IncludeScopes = false;
                format.TimestampFormat = "HH:mm:ss ";
            }));
        // The console logger writes from a queue: what is queued when the program ends is written before it exits.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => factory.Dispose();
        return factory;
    }
}
