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
        Receive<LogEvent>(IsExpectedDisconnect, _ => { });
        Receive<LogEvent>(e => ProcessConsole.Error.WriteLine(
            $"[{e.LogLevel().ToString().Replace("Level", "").ToUpperInvariant()}] [{e.Timestamp:HH:mm:ss.fff}] {e.LogSource}: {e.Message}" +
            (e.Cause is null ? "" : $" ({e.Cause.GetType().Name}: {e.Cause.Message})")));
    }

    /// <summary>
    /// A worker that exits (retired, replaced, terminated) makes Akka.Remote log its lost connection as a warning and an
    /// error; the pool handles worker loss itself and reports what matters, so these lines are only noise.
    /// </summary>
    public static bool IsExpectedDisconnect(LogEvent e) =>
        e.Cause?.GetType().Name == "EndpointDisassociatedException" ||
        e.Message?.ToString()?.Contains("Disassociated", StringComparison.Ordinal) == true;
}
