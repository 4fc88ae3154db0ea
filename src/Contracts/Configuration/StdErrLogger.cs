using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace ClusterPool.Contracts.Configuration;

/// <summary>Akka's log sink for every ClusterPool process: one line per event on stderr, so stdout stays the
/// program's.</summary>
internal sealed class StdErrLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    /// <summary>Creates the logger; Akka does this from <c>akka.loggers</c>.</summary>
    public StdErrLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        var tls = new Security.TlsLogLines();
        Receive<LogEvent>(IsExpectedNoise, _ => { });
        Receive<LogEvent>(e =>
        {
            if (tls.Rewrite(e) is (true, var text))
            {
                if (text is not null) ProcessConsole.Error.WriteLine($"clusterpool worker: {text}");
                return;
            }
            if (Serialization.RefusedMessageLines.Rewrite(e) is { } refused)
            {
                ProcessConsole.Error.WriteLine($"clusterpool worker: {refused}");
                return;
            }
            ProcessConsole.Error.WriteLine(Line(e));
        });
    }

    /// <summary>An event's line: <c>[INFO] [12:00:00.000] source: message</c>; the pool that started a worker logs
    /// it at the level it starts with.</summary>
    public static string Line(LogEvent e) =>
        $"[{e.LogLevel().ToString().Replace("Level", "").ToUpperInvariant()}] [{e.Timestamp:HH:mm:ss.fff}] " +
            $"{e.LogSource}: {e.Message}" + (e.Cause is null ? "" : $" ({e.Cause.GetType().Name}: {e.Cause.Message})");

    /// <summary>
    /// Lines about connections that come and go as the pool intends, which the pool reports itself in its own words: a
    /// worker that exits (retired, replaced, terminated) makes Akka.Remote log its lost connection as a warning and an
    /// error; a worker host waiting for its pool (it says so once) and a pool reaching for a worker that is gone log
    /// the unreachable address every few seconds. A worker that retires (MaxTasksPerChild) stops its transport while a
    /// connection still closes: DotNetty's handler then finds it gone from its group ("May not shut down cleanly").
    /// A pool that stops closes its connections to workers it has just killed: the socket is already gone
    /// ("Half-close failed", and Akka closes it outright).
    /// A node that cannot bind its address (in use, not this machine's) says so in one line of its own (the pool's
    /// IOException, the worker host's exit line), not Akka's stack trace. A port that accepts connections but never
    /// answers fails Akka's handshake after 15 s: a worker host says so itself
    /// (clusterpool.worker.join-answer-timeout), a pool calls such a peer unreachable.
    /// </summary>
    public static bool IsExpectedNoise(LogEvent e)
    {
        if (e.Cause?.GetType().Name == "EndpointDisassociatedException") return true;
        if (e.Cause is { } cause && Launch.BindFailure.IsRefusedBind(cause)) return true;
        var text = e.Message?.ToString();
        // A pool kills its own workers before its actor system winds down (after Terminate has returned): what
        // Akka.Remote still held for them cannot reach them, and whatever they had to do the pool failed or ran
        // elsewhere. The line came out in the middle of the program's next output.
        if (text?.StartsWith("Shutdown finished, but flushing might not have been successful",
                StringComparison.Ordinal) == true) return true;
        // A node that stops under load may not finish leaving the cluster in time; it is stopping regardless.
        if (text?.StartsWith("Coordinated shutdown phase [cluster-", StringComparison.Ordinal) == true
            && text.Contains("timed out", StringComparison.Ordinal)) return true;
        return text is not null && (text.Contains("Disassociated", StringComparison.Ordinal) ||
                                    text.Contains("Tried to associate with unreachable remote address",
                                        StringComparison.Ordinal) ||
                                    text.Contains("Couldn't join seed nodes after", StringComparison.Ordinal) ||
                                    text.Contains("No response from remote for outbound association",
                                        StringComparison.Ordinal) ||
                                    text.Contains("from connection group. May not shut down cleanly",
                                        StringComparison.Ordinal) ||
                                    text.StartsWith("Half-close failed on channel", StringComparison.Ordinal));
    }
}
