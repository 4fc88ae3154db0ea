namespace ClusterPool.Contracts.Configuration;

/// <summary>
/// This process's own stderr, for ClusterPool's log lines. A worker process captures <see cref="Console.Out"/> and
/// <see cref="Console.Error"/> to send its tasks' output to the pool; it keeps the real stderr here first, so that its
/// own lines (Akka's, the host's) are not taken for a task's.
/// </summary>
internal static class ProcessConsole
{
    private static TextWriter? _error;

    /// <summary>The process's stderr: the one kept by <see cref="KeepStandardError"/>, else
    /// <see cref="Console.Error"/>.</summary>
    public static TextWriter Error => _error ?? Console.Error;

    /// <summary>Keeps the current <see cref="Console.Error"/> as this process's own stderr, before it is
    /// replaced.</summary>
    public static void KeepStandardError() => _error ??= Console.Error;
}
