namespace ClusterPool.Bench;

/// <summary>
/// How a program the fixtures ran (<see cref="Programs.Run"/>) ended and what it said: enough for a test to check it
/// and, printed, for a failure message to show all of it.
/// </summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Output">Everything it wrote to stdout.</param>
/// <param name="Error">Everything it wrote to stderr.</param>
internal sealed record ProgramResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
