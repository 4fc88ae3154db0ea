using System.Threading.Channels;
using ClusterPool.Contracts.Messages;

namespace ClusterPool.Output;

/// <summary>
/// Where the lines tasks write in their worker processes end up (<see cref="PoolOptions.ForwardTaskOutput"/>): this
/// process's stdout and stderr, tagged <c>[host:pid]</c>, or the user's callback. Written by a task of its own, so a
/// console nobody reads, or a slow callback, never holds up the coordinator.
/// </summary>
internal sealed class TaskOutputSink : IAsyncDisposable
{
    private readonly Channel<TaskOutputLine> _lines = Channel.CreateUnbounded<TaskOutputLine>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<TaskOutputLine> _write;
    private readonly Task _writer;

    /// <summary>The sink <paramref name="options"/> asks for, or null when tasks' output is dropped.</summary>
    public static TaskOutputSink? For(PoolOptions options) =>
        options.ForwardTaskOutput ? new TaskOutputSink(options.OnTaskOutput ?? WriteToConsole) : null;

    public TaskOutputSink(Action<TaskOutputLine> write)
    {
        _write = write;
        _writer = Task.Run(WriteAllAsync);
    }

    /// <summary>Takes the lines of one message from a worker (called on the coordinator's thread: only queues
    /// them).</summary>
    public void Post(TaskOutput output)
    {
        if (output.Dropped > 0)
            _lines.Writer.TryWrite(new TaskOutputLine(output.Host, output.Pid, true,
                $"({output.Dropped} lines of task output dropped: written faster than they could be sent)"));
        foreach (var line in output.Lines) _lines.Writer.TryWrite(
            new TaskOutputLine(output.Host, output.Pid, line.IsError, line.Text));
    }

    /// <summary>Takes a line a worker process wrote to its real stdout (native code, not through
    /// <see cref="Console"/>).</summary>
    public void Post(TaskOutputLine line) => _lines.Writer.TryWrite(line);

    private async Task WriteAllAsync()
    {
        await foreach (var line in _lines.Reader.ReadAllAsync())
        {
            try { _write(line); }
            catch (Exception) { } // a callback that throws loses its line, not the rest
        }
    }

    private static void WriteToConsole(TaskOutputLine line)
    {
        var to = line.IsError ? Console.Error : Console.Out;
        to.WriteLine(line.ToString());
    }

    /// <summary>Writes what is still queued (up to two seconds), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writer.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
