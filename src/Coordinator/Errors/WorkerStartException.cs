namespace ClusterPool;

/// <summary>
/// The pool's worker processes cannot start: several in a row exited before they registered (a broken install, a
/// missing <c>clusterpool-worker.runtimeconfig.json</c>, a bad setting). Thrown by the calls waiting for work and by
/// <see cref="Pool.WaitUntilReady"/> within seconds, instead of waiting for ever. The message holds the last worker's
/// exit code and the last lines it wrote on stderr, which usually name the cause. The pool keeps trying: should a
/// worker start later, new calls run.
/// </summary>
public sealed class WorkerStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkerStartException(int attempts, int pid, int exitCode, IReadOnlyList<string> lastErrorLines)
        : base($"the pool's worker processes cannot start: {attempts} in a row exited before registering (the last: pid {pid}, " +
               $"exit code {exitCode}). " + (lastErrorLines.Count == 0 ? "It wrote nothing on stderr." :
                   $"Its last lines on stderr:{Environment.NewLine}{string.Join(Environment.NewLine, lastErrorLines.Select(l => "  " + l))}") +
               $"{Environment.NewLine}Check that the app's output holds clusterpool-worker.dll with its .runtimeconfig.json and .deps.json, " +
               "and the settings given in PoolOptions.Config.")
    {
        ExitCode = exitCode;
        LastErrorLines = lastErrorLines;
    }

    /// <summary>The last failed worker's exit code.</summary>
    public int ExitCode { get; }

    /// <summary>The last lines the last failed worker wrote on stderr.</summary>
    public IReadOnlyList<string> LastErrorLines { get; }
}
