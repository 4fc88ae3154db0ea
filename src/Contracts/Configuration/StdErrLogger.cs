using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace ClusterPool.Contracts.Configuration;

/// <summary>Akka's log sink for every ClusterPool process: one line per event on stderr, so stdout stays the program's.</summary>
public sealed class StdErrLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    /// <summary>Creates the logger; Akka does this from <c>akka.loggers</c>.</summary>
    public StdErrLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => Console.Error.WriteLine(
            $"[{e.LogLevel().ToString().Replace("Level", "").ToUpperInvariant()}] [{e.Timestamp:HH:mm:ss.fff}] {e.LogSource}: {e.Message}" +
            (e.Cause is null ? "" : $" ({e.Cause.GetType().Name}: {e.Cause.Message})")));
    }
}
