using System.Diagnostics;
using ClusterPool.Output;
using Microsoft.Extensions.Logging;

namespace ClusterPool.Workers;

/// <summary>
/// A local worker's stderr (its own log lines; its tasks' output travels to the pool as messages): passed on line by
/// line to the pool's logger, tagged with the worker's pid, at the level its Akka line names (any other line, such as
/// the runtime's own words on a crash, as a warning), and its last lines kept, so that a worker that cannot start says
/// why in the <see cref="WorkerStartException"/>.
/// </summary>
internal sealed class WorkerErrorOutput
{
    private const int Kept = 12;
    private readonly Queue<string> _last = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<ILogger> _log;
    private readonly Process _process;
    private int _pid; // read once it has started: its Process may be released while lines still come

    private WorkerErrorOutput(Process process, Func<ILogger> log) => (_process, _log) = (process, log);

    /// <summary>
    /// The stderr of <paramref name="process"/> (with <c>RedirectStandardError</c>), made before it starts and read
    /// once it has (<see cref="Follow"/>); <paramref name="log"/> gives the logger of its owner now.
    /// </summary>
    public static WorkerErrorOutput Attach(Process process, Func<ILogger> log) => new(process, log);

    /// <summary>Reads it, once the process has started (what it wrote before waits in the pipe).</summary>
    public void Follow()
    {
        _pid = _process.Id;
        ChildProcessLines.Follow(_process.StandardError, "clusterpool-worker-stderr", OnLine);
    }

    /// <summary>
    /// The last lines written (up to 12), once the stream has ended or <paramref name="wait"/> has passed (a process
    /// its tasks started may hold the pipe open). Waits without holding a thread: on a loaded machine, exits handled
    /// by blocked threads starved the very reads they waited for, and the pool lost the lines that said why.
    /// </summary>
    public async Task<IReadOnlyList<string>> LastLinesAsync(TimeSpan wait)
    {
        await Task.WhenAny(_ended.Task, Task.Delay(wait)).ConfigureAwait(false);
        lock (_last) return [.. _last];
    }

    /// <summary>The level of a worker's stderr line: the one its Akka log line starts with (<c>[INFO] [12:00:00.000]
    /// ...</c>, <see cref="Contracts.Configuration.StdErrLogger"/>), else a warning.</summary>
    public static LogLevel LevelOf(string line) => line switch
    {
        _ when line.StartsWith("[DEBUG] ", StringComparison.Ordinal) => LogLevel.Debug,
        _ when line.StartsWith("[INFO] ", StringComparison.Ordinal) => LogLevel.Information,
        _ when line.StartsWith("[ERROR] ", StringComparison.Ordinal) => LogLevel.Error,
        _ => LogLevel.Warning,
    };

    private void OnLine(string? line)
    {
        if (line is null) { _ended.TrySetResult(); return; } // the worker closed its stderr: it has exited
        _log().Log(LevelOf(line), "worker process {Pid}: {Line}", _pid, line);
        lock (_last)
        {
            _last.Enqueue(line);
            if (_last.Count > Kept) _last.Dequeue();
        }
    }
}
