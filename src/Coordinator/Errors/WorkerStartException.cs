namespace ClusterPool;

/// <summary>
/// The pool's worker processes cannot start. Either none could be started at all - thrown by <c>Pool.Start</c>, naming
/// the file, runtime and platform tried and why it failed - or several in a row exited before they registered (a broken
/// install, a bad setting) - thrown by the calls waiting for work and by <see cref="Pool.WaitUntilReady"/> within
/// seconds, instead of waiting for ever, with the last worker's exit code and the last lines it wrote on stderr, which
/// usually name the cause. In that case the pool keeps trying: should a worker start later, new calls run.
/// </summary>
public sealed class WorkerStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkerStartException(int attempts, int pid, int exitCode, IReadOnlyList<string> lastErrorLines)
        : base($"the pool's worker processes cannot start: {attempts} in a row exited before registering " +
               $"(the last: pid {pid}, exit code {exitCode}). " +
               (lastErrorLines.Count == 0
                   ? "It wrote nothing on stderr."
                   : $"Its last lines on stderr:{Environment.NewLine}" +
                     string.Join(Environment.NewLine, lastErrorLines.Select(l => "  " + l))) +
               $"{Environment.NewLine}Check that the app's output holds clusterpool-worker.dll with its " +
               ".runtimeconfig.json and .deps.json, and the settings given in PoolOptions.Config.")
    {
        ExitCode = exitCode;
        LastErrorLines = lastErrorLines;
    }

    /// <summary>Creates the exception for a worker process that could not even be started; the message says what was
    /// tried.</summary>
    public WorkerStartException(string message, Exception? innerException = null) : base(message, innerException)
    {
        ExitCode = -1;
        LastErrorLines = [];
    }

    /// <summary>The last failed worker's exit code (-1 when none could be started).</summary>
    public int ExitCode { get; }

    /// <summary>The last lines the last failed worker wrote on stderr.</summary>
    public IReadOnlyList<string> LastErrorLines { get; }
}
