using ClusterPool.Contracts.Configuration;

namespace ClusterPool.Worker;

/// <summary>
/// The worker host's command, shared by <c>clusterpool-worker</c>, <c>clusterpool worker</c> and a worker that runs
/// inside the application's own executable (<see cref="Contracts.Launch.WorkerLaunch"/>): reads the arguments, runs the
/// host, and turns what went wrong into one line on stderr and an exit code (0 done, 1 error, 2 bad arguments;
/// <see cref="Contracts.Launch.WorkerExitCode"/>).
/// </summary>
internal static class WorkerCommand
{
    /// <summary>What <c>clusterpool-worker --help</c> says the host is.</summary>
    public const string Description = "A ClusterPool worker host: joins a coordinator and runs tasks in its slots.";

    /// <summary>Runs a worker host with <paramref name="args"/> and returns the process's exit code.</summary>
    /// <param name="args">The command line after the program's name.</param>
    /// <param name="defaultApp">
    /// The application a host runs when <c>--app</c> is not given: the <c>clusterpool</c> tool passes its own assembly,
    /// so its hosts run the tool's demo and sample as the demo's hint says; null where the application must be named.
    /// </param>
    /// <param name="command">How the command is called, for <c>--help</c>.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, string? defaultApp = null,
        string command = "clusterpool-worker")
    {
        if (WorkerArguments.AsksForHelp(args))
        {
            Console.Out.Write(WorkerArguments.Usage(command, Description));
            return 0;
        }
        WorkerOptions options;
        try { options = WorkerArguments.Parse(args, defaultApp); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        try
        {
            return await WorkerRuntime.RunAsync(options);
        }
        catch (Exception e) when (
            e is ArgumentException or PoolConfigurationException or FileNotFoundException or BadImageFormatException
                                       or ClusterCertificateException)
        {
            // the real stderr: a worker captures Console for its tasks
            ProcessConsole.Error.WriteLine($"clusterpool worker: {e.Message}");
            // A file an argument names that does not serve (--app, --cert, --config) is a bad argument too.
            return e is ArgumentException or ClusterCertificateException ? 2 : 1;
        }
        catch (Exception e)
        {
            // Anything else is a fault of the host (or of the app it loads): say it whole on the real stderr.
            // Console.Error by now sends lines to a pool that never hears them.
            ProcessConsole.Error.WriteLine($"clusterpool worker: the host failed: {e}");
            // Last, the cause in one line: a pool that reports its workers' start-up failures quotes their last lines.
            var cause = e;
            while (cause.InnerException is { } inner) cause = inner;
            ProcessConsole.Error.WriteLine(
                $"clusterpool worker: the host failed: {cause.GetType().Name}: {cause.Message}");
            return 1;
        }
    }
}
