using Akka.Event;

namespace ClusterPool.Contracts.Configuration;

/// <summary>
/// Akka's last-resort log sink (<c>akka.stdout-logger-class</c> in hocon/shared.hocon), on stderr. When an actor system
/// stops, what its loggers had not read yet is handed to this sink whatever <c>stdout-loglevel</c> says, and Akka's own
/// wrote it to stdout: a pool stopped while a worker's connection dropped printed an ERROR block with a stack trace
/// into a program's CSV or JSON output now and then. Here it is one line on stderr, or nothing for the connection
/// noise every logger skips (<see cref="StdErrLogger.IsExpectedNoise"/>).
/// </summary>
internal sealed class ShutdownLogger : MinimalLogger
{
    /// <summary>Writes <paramref name="message"/> to stderr.</summary>
    protected override void Log(object message)
    {
        if (message is LogEvent e)
        {
            if (!StdErrLogger.IsExpectedNoise(e)) ProcessConsole.Error.WriteLine(StdErrLogger.Line(e));
        }
        else ProcessConsole.Error.WriteLine(message);
    }
}
