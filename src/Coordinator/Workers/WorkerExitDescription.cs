using ClusterPool.Contracts.Launch;

namespace ClusterPool.Workers;

/// <summary>
/// Why a local worker process ended, in words, for the errors and log lines that name a lost worker: its exit code
/// read as the signal or runtime failure it stands for, and the line of its last stderr output that names a fatal
/// cause ("Stack overflow.", "Out of memory."). "worker process 9430 exited" alone left the user to guess.
/// </summary>
internal static class WorkerExitDescription
{
    // Lines the .NET runtime writes when it ends a process for good; the trace after them fills the last lines.
    private static readonly string[] FatalLines =
        ["Stack overflow", "Out of memory", "Unhandled exception", "Process terminated", "Fatal error"];

    /// <summary>For example "worker process 9430 exited with code 134: aborted (SIGABRT), as on a stack overflow or
    /// another fatal runtime error: Stack overflow."</summary>
    public static string Of(int pid, int exitCode, IReadOnlyList<string> lastLines)
    {
        var what = $"worker process {pid} exited with code {exitCode}";
        if (Meaning(exitCode) is { } meaning) what += $": {meaning}";
        var fatal = lastLines.Select(line => line.Trim()).FirstOrDefault(line =>
            FatalLines.Any(start => line.StartsWith(start, StringComparison.Ordinal)));
        return fatal is null ? what : $"{what}; it said \"{(fatal.Length > 200 ? fatal[..200] + "..." : fatal)}\"";
    }

    private static string? Meaning(int exitCode) => exitCode switch
    {
        134 => "aborted (SIGABRT), as on a stack overflow or another fatal runtime error",
        137 => "killed (SIGKILL: kill -9, or the system's out-of-memory killer)",
        139 => "crashed (SIGSEGV)",
        143 => "stopped by SIGTERM",
        -1073741571 => "a stack overflow", // Windows: 0xC00000FD
        -1073741819 => "crashed (access violation)", // Windows: 0xC0000005
        WorkerExitCode.Recycle => "retired or recycled (MaxTasksPerChild, MaxMemoryPerChild, a stuck task)",
        0 or -1 or WorkerExitCode.BadArguments or WorkerExitCode.CoordinatorGone or WorkerExitCode.LostContact
            or WorkerExitCode.Refused or WorkerExitCode.LifelineClosed => null, // the worker says why, or not read
        _ when exitCode is > 0 and < 128 => "a task may have called Environment.Exit",
        _ => null,
    };
}
