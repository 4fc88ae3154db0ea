namespace ClusterPool;

/// <summary>
/// The body of a program's <c>Main</c>, run so that Ctrl+C ends it cleanly: <c>static int Main() => PoolProgram.Run(()
/// => { ... });</c>.
/// .NET runs <c>finally</c> blocks (and disposes <c>using</c> variables) only while an exception is caught somewhere;
/// an unhandled <see cref="PoolInterruptedException"/> would end the process without them. This catches it, after the
/// body's <c>finally</c> blocks have run, and returns exit code 130, as Python does after <c>KeyboardInterrupt</c>
/// (143 after SIGTERM, as for a process SIGTERM ends).
/// </summary>
public static class PoolProgram
{
    /// <summary>Runs <paramref name="body"/>; returns its exit code, or 130 if it was interrupted (143 if by
    /// SIGTERM).</summary>
    public static int Run(Func<int> body)
    {
        try { return body(); }
        catch (PoolInterruptedException e)
        {
            Console.Error.WriteLine($"interrupted: {e.Message}");
            return Lifecycle.InterruptSignals.ExitCode;
        }
    }

    /// <summary>Runs <paramref name="body"/>; returns 0, or 130 if it was interrupted (143 if by SIGTERM).</summary>
    public static int Run(Action body) => Run(() => { body(); return 0; });

    /// <summary>Runs <paramref name="body"/>; returns its exit code, or 130 if it was interrupted (143 if by
    /// SIGTERM).</summary>
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try { return await body(); }
        catch (PoolInterruptedException e)
        {
            Console.Error.WriteLine($"interrupted: {e.Message}");
            return Lifecycle.InterruptSignals.ExitCode;
        }
    }
}
