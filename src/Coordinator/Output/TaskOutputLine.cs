namespace ClusterPool;

/// <summary>One line a task wrote to the console of its worker process
/// (<see cref="PoolOptions.OnTaskOutput"/>).</summary>
/// <param name="Host">The worker's machine.</param>
/// <param name="Pid">The worker's process id.</param>
/// <param name="IsError">True if the task wrote it to stderr, false for stdout.</param>
/// <param name="Text">The line, without its line break.</param>
public sealed record TaskOutputLine(string Host, int Pid, bool IsError, string Text)
{
    /// <summary>The line as the pool prints it: <c>[host:pid] text</c>.</summary>
    public override string ToString() => $"[{Host}:{Pid}] {Text}";
}
