using ClusterPool.Contracts.Launch;
using ClusterPool.Worker;

/// <summary>
/// .NET runs this before an application's <c>Main</c> when <c>DOTNET_STARTUP_HOOKS</c> names this assembly. In an app
/// that a pool started as a worker host (self-contained, single-file: <see cref="WorkerProcess"/>), it runs the worker
/// host and ends the process, so the app's own <c>Main</c> never runs there. In any other process it does nothing. .NET
/// finds it by this exact name, in no namespace.
/// </summary>
internal static class StartupHook
{
    /// <summary>Runs the worker host when this process was started as one.</summary>
    public static void Initialize()
    {
        if (!WorkerProcess.IsWorkerRun(out var args)) return;
        Environment.Exit(WorkerCommand.RunAsync(args).GetAwaiter().GetResult());
    }
}
