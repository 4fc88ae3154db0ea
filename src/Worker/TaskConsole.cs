using System.Text;
using Akka.Actor;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Worker;

/// <summary>
/// A worker process's console, captured for its tasks: every line a task writes to <see cref="Console.Out"/> or
/// <see cref="Console.Error"/> is held here and sent to the coordinator (<see cref="TaskOutput"/>), which prints it
/// tagged with this host and pid. The process's own stderr is kept first (<see cref="ProcessConsole"/>) for its log
/// lines. Lines go out when results do (so a task's output arrives before its result), and at most
/// <see cref="SendEvery"/> after they were written; a task that writes faster than that loses the oldest lines past
/// <see cref="MaxHeldLines"/>, and the coordinator says how many. A worker that prints nothing wakes for nothing: the
/// host is asked to send only once a line waits (a 100 ms timer in every idle worker cost 1% of a core each under
/// Wine).
/// </summary>
internal static class TaskConsole
{
    /// <summary>How long a held line waits at most when no result carries it sooner.</summary>
    public static readonly TimeSpan SendEvery = TimeSpan.FromMilliseconds(100);

    private const int MaxHeldLines = 10_000;
    private const int MaxLinesPerMessage = 1_000;

    // Characters a message carries at most, far under a frame: 1,000 lines of 10,000 characters made a message
    // Akka.Remote dropped, and every line of it was lost. Lower where the frame is small (SendTo).
    private const int MaxCharsPerMessage = 256 * 1024;
    private const int MaxLineLength = 16 * 1024;
    private static readonly Lock Gate = new();
    private static readonly Queue<OutputLine> Held = new();
    private static IActorRef _coordinator = ActorRefs.Nobody;
    private static Action? _sendSoon;
    private static bool _sendAsked;
    private static int _dropped;
    private static int _maxChars = MaxCharsPerMessage;
    private static LineWriter[] _writers = [];

    /// <summary>Captures the console; from now on, lines wait here until a coordinator is known
    /// (<see cref="SendTo"/>).</summary>
    public static void Capture()
    {
        ProcessConsole.KeepStandardError();
        LineWriter output = new(isError: false), error = new(isError: true);
        _writers = [output, error];
        Console.SetOut(output);
        Console.SetError(error);
    }

    /// <summary>The coordinator that receives the lines (once welcomed); held lines go out at once.</summary>
    /// <param name="coordinator">Where the lines go.</param>
    /// <param name="budget">What one message may carry.</param>
    /// <param name="sendSoon">
    /// Called when a line is held and no send is asked for yet: the host calls <see cref="Flush"/> within
    /// <see cref="SendEvery"/>.
    /// </param>
    public static void SendTo(IActorRef coordinator, Action sendSoon, FrameBudget budget)
    {
        // a character takes 2 bytes on the wire, and a line 8 more of its own: a quarter of the payload is ample room
        var maxChars = (int)Math.Min(MaxCharsPerMessage, budget.MaxPayload / 4);
        lock (Gate) (_coordinator, _sendSoon, _maxChars) = (coordinator, sendSoon, maxChars);
        Flush();
    }

    /// <summary>
    /// Holds this thread's partial lines (text written without a newline after it) as lines: a task that ended wrote
    /// them all. Called before a task's result is sent, so they still arrive before it.
    /// </summary>
    public static void EndThisThreadsLines()
    {
        foreach (var writer in _writers) writer.Flush();
    }

    /// <summary>Holds every thread's partial line as a line (the process stops: nothing more follows them).</summary>
    public static void EndEveryLine()
    {
        foreach (var writer in _writers) writer.FlushEveryThread();
    }

    /// <summary>Sends every held line now (before a result, and when the host is asked to).</summary>
    public static void Flush()
    {
        while (true)
        {
            TaskOutput message;
            IActorRef to;
            lock (Gate)
            {
                if (Held.Count == 0) _sendAsked = false;
                if (Held.Count == 0 || _coordinator.IsNobody()) return;
                message = new TaskOutput(Environment.MachineName, Environment.ProcessId, TakeBatch(Held, _maxChars),
                    _dropped);
                _dropped = 0;
                to = _coordinator;
            }
            to.Tell(message);
        }
    }

    /// <summary>The lines of one message, taken from <paramref name="held"/>: at most
    /// <see cref="MaxLinesPerMessage"/>, and <paramref name="maxChars"/> characters unless one line alone is
    /// more.</summary>
    internal static OutputLine[] TakeBatch(Queue<OutputLine> held, int maxChars = MaxCharsPerMessage)
    {
        var lines = new List<OutputLine>();
        for (var chars = 0; held.Count > 0 && lines.Count < MaxLinesPerMessage;)
        {
            chars += held.Peek().Text.Length;
            if (lines.Count > 0 && chars > maxChars) break;
            lines.Add(held.Dequeue());
        }
        return [.. lines];
    }

    private static void Add(bool isError, string text)
    {
        if (text.Length > MaxLineLength) text = string.Concat(text.AsSpan(0, MaxLineLength), "…");
        Action? ask = null;
        lock (Gate)
        {
            if (Held.Count >= MaxHeldLines)
            {
                Held.Dequeue();
                _dropped++;
            }
            Held.Enqueue(new OutputLine(isError, text));
            if (!_sendAsked && _sendSoon is not null) (ask, _sendAsked) = (_sendSoon, true);
        }
        ask?.Invoke();
    }

    /// <summary>A console writer that cuts what it is given into lines; each thread's partial line is its own, and
    /// goes out when that thread's task ends (<see cref="EndThisThreadsLines"/>) or the process stops
    /// (<see cref="EndEveryLine"/>).</summary>
    private sealed class LineWriter(bool isError) : TextWriter
    {
        private readonly ThreadLocal<StringBuilder> _partial = new(() => new StringBuilder(), trackAllValues: true);

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            var line = _partial.Value!;
            lock (line)
            {
                if (value == '\n') EndLine(line);
                else if (value != '\r') line.Append(value);
            }
        }

        public override void Write(string? value)
        {
            if (value is null) return;
            var line = _partial.Value!;
            lock (line)
            {
                var start = 0;
                for (var newline = value.IndexOf('\n'); newline >= 0; newline = value.IndexOf('\n', start))
                {
                    line.Append(value.AsSpan(start, newline - start).TrimEnd('\r'));
                    EndLine(line);
                    start = newline + 1;
                }
                if (start < value.Length) line.Append(value.AsSpan(start));
            }
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void WriteLine(string? value)
        {
            var line = _partial.Value!;
            lock (line)
            {
                Write(value);
                EndLine(line);
            }
        }

        /// <summary>A partial line is sent as it is when the task flushes (a prompt without a newline still
        /// shows).</summary>
        public override void Flush() => EndPartial(_partial.Value!);

        /// <summary>Every thread's partial line, sent as it is (the process stops).</summary>
        public void FlushEveryThread()
        {
            foreach (var line in _partial.Values) EndPartial(line);
        }

        private void EndPartial(StringBuilder line)
        {
            lock (line)
                if (line.Length > 0) EndLine(line);
        }

        private void EndLine(StringBuilder line)
        {
            Add(isError, line.ToString());
            line.Clear();
        }
    }
}
