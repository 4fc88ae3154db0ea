using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Security;
using ClusterPool.Contracts.Serialization;
using Microsoft.Extensions.Logging;
using AkkaLogLevel = Akka.Event.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ClusterPool.Logging;

/// <summary>
/// Akka's log sink in a pool's process (<c>akka.loggers</c> in hocon/coordinator.hocon): every Akka event goes to the
/// pool's <see cref="ILoggerFactory"/> (<see cref="PoolOptions.LoggerFactory"/>) under the category
/// <c>ClusterPool.Akka</c>.
/// </summary>
internal sealed class AkkaLogBridge : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    /// <summary>Creates the sink; Akka does this from <c>akka.loggers</c>.</summary>
    public AkkaLogBridge()
    {
        var factory = Context.System.Settings.Setup.Get<LoggingSetup>().Select(s => s.Factory).GetOrElse(null!)
                      ?? PoolLogging.FactoryFor(new PoolOptions());
        var logger = factory.CreateLogger($"{PoolLogging.Category}.Akka");
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        var tls = new TlsLogLines();
        Receive<LogEvent>(StdErrLogger.IsExpectedNoise, _ => { });
        Receive<LogEvent>(e =>
        {
            if (tls.Rewrite(e) is (true, var text))
            {
                if (text is not null) logger.LogWarning("{Text}", text);
                return;
            }
            if (RefusedMessageLines.Rewrite(e) is { } refused)
            {
                logger.LogWarning("{Text}", refused);
                return;
            }
            var level = LevelOf(e.LogLevel());
            if (!logger.IsEnabled(level)) return;
            logger.Log(level, default, e.Cause, "{Source}: {Message}", e.LogSource, e.Message);
        });
    }

    private static LogLevel LevelOf(AkkaLogLevel level) => level switch
    {
        AkkaLogLevel.DebugLevel => LogLevel.Debug,
        AkkaLogLevel.InfoLevel => LogLevel.Information,
        AkkaLogLevel.WarningLevel => LogLevel.Warning,
        _ => LogLevel.Error,
    };
}
