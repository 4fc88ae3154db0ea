using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ClusterPool.Contracts.Launch;

/// <summary>
/// How this process starts a worker host, on the runtime it runs on itself, as Python's <c>spawn</c> re-runs
/// <c>sys.executable</c>: never a <c>dotnet</c> looked up on PATH.
/// <list type="bullet">
/// <item>On a shared .NET install (an app built or published framework-dependent, <c>dotnet run</c>, <c>dotnet
/// test</c>): that install's <c>dotnet</c> runs <c>clusterpool-worker.dll</c> from beside the app, or its ReadyToRun
/// copy when it was built for this platform.</item>
/// <item>Anywhere else (self-contained, single-file, no worker host file on disk): the application's own executable,
/// started with <see cref="MarkerArgument"/> first and a startup hook (<c>StartupHook</c> in the worker host) that runs
/// the worker host
/// in place of the app's <c>Main</c>.</item>
/// </list>
/// </summary>
internal static class WorkerProcess
{
    /// <summary>The first argument of an application started as a worker host (it shows in <c>ps</c> and Task
    /// Manager).</summary>
    public const string MarkerArgument = "clusterpool-worker";

    /// <summary>Set (to 1) for an application started as a worker host; the startup hook clears it.</summary>
    public const string MarkerVariable = "CLUSTERPOOL_WORKER_HOST";

    /// <summary>.NET's list of startup hooks: assemblies whose <c>StartupHook.Initialize</c> runs before
    /// <c>Main</c>.</summary>
    public const string StartupHooksVariable = "DOTNET_STARTUP_HOOKS";

    /// <summary>
    /// The worker host's assembly, by simple name: it holds the startup hook, and is part of every app that references
    /// ClusterPool, single-file too.
    /// </summary>
    public const string HostAssembly = "clusterpool-worker";

    private static readonly Lazy<WorkerLaunch> Decided = new(Decide);

    /// <summary>How worker hosts start from this process (decided once).</summary>
    /// <exception cref="WorkerLaunchException">No way to start one from this process; the message says why.</exception>
    public static WorkerLaunch Launch => Decided.Value;

    /// <summary>
    /// The start info for a worker host with <paramref name="args"/>. Its stdin is a pipe from this process: when this
    /// process dies, even by <c>kill -9</c>, the pipe closes and a worker started with <c>--parent-pid</c> exits.
    /// </summary>
    /// <exception cref="WorkerLaunchException">No way to start one from this process; the message says why.</exception>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args) => Launch.StartInfo(args);

    /// <summary>The <c>dotnet</c> of the shared .NET install this process runs on, or null when it carries its own
    /// runtime.</summary>
    public static string? DotnetHost()
    {
        if (Environment.ProcessPath is { } self && IsDotnet(self)) return self;
        // .../dotnet/shared/Microsoft.NETCore.App/10.0.5/: the install's root is three folders up.
        var runtime = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory());
        if (runtime.Parent?.Parent is not { Name: "shared" } shared || shared.Parent is not { } root) return null;
        var dotnet = Path.Combine(root.FullName, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(dotnet) ? dotnet : null;
    }

    private static bool IsDotnet(string path) => Path.GetFileNameWithoutExtension(path).Equals(
        "dotnet", StringComparison.OrdinalIgnoreCase);

    private static WorkerLaunch Decide()
    {
        var runtime = $".NET {Environment.Version} for {RuntimeInformation.RuntimeIdentifier}";
        if (DotnetHost() is { } dotnet && WorkerHostFile() is { } host)
            return new WorkerLaunch(dotnet, [host], $"{dotnet} {host} (the shared {runtime})", InsideApp: false);

        var self = Environment.ProcessPath
                   ?? throw new WorkerLaunchException(
                       $"this process's executable is unknown ({runtime}), so no worker host can be started from it");
        if (AppContext.TryGetSwitch("System.StartupHookProvider.IsSupported", out var hooks) && !hooks)
            throw new WorkerLaunchException(
                $"this app ({self}, {runtime}) carries its own runtime, so its workers run inside its own " +
                    "executable, but it was built " +
                "without startup hook support (StartupHookSupport=false, or trimmed): publish it with " +
                    "<StartupHookSupport>true</StartupHookSupport>");
        // `dotnet app.dll`: the app is its assembly.
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        var app = IsDotnet(self) && !string.IsNullOrEmpty(entry) ? entry : self;
        if (!AppHoldsHost())
            throw new WorkerLaunchException(
                $"this app ({app}, {runtime}) does not hold the worker host ({HostAssembly}.dll is neither " +
                "beside it nor among its assemblies): reference the ClusterPool package, or, working from a clone, " +
                "src/Worker/ClusterPool.Worker.csproj and src/Contracts/ClusterPool.Contracts.csproj beside " +
                "src/Coordinator/ClusterPool.csproj");
        // `dotnet app.dll` without a worker host file beside it: the same command, with the app's assembly.
        string[] leading = IsDotnet(self) && !string.IsNullOrEmpty(entry)
            ? [entry, MarkerArgument]
            : [MarkerArgument];
        return new WorkerLaunch(self, leading, $"{self} (this application's own executable, {runtime})",
            InsideApp: true);
    }

    /// <summary>
    /// True when this app can load the worker host's assembly (the startup hook its workers run), from its folder or
    /// its single file. Without it every worker would die at once with a startup hook's stack trace.
    /// </summary>
    private static bool AppHoldsHost()
    {
        try
        {
            System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyName(
                new System.Reflection.AssemblyName(HostAssembly));
            return true;
        }
        catch (FileNotFoundException) { return false; }
    }

    /// <summary>
    /// <c>clusterpool-worker.dll</c> beside this process, with the runtimeconfig that lets <c>dotnet</c> run it: its
    /// ReadyToRun copy when one was built for this platform (it starts in half the CPU time). Null when there is none
    /// on disk (a single-file app carries the host inside itself).
    /// </summary>
    private static string? WorkerHostFile()
    {
        // The host's files sit beside the contracts the pool and the host share (a single-file app has no folder for
        // them).
        var contracts = typeof(WorkerProcess).Assembly.Location;
        if (string.IsNullOrEmpty(contracts)) return null;
        var folder = Path.GetDirectoryName(contracts)!;
        var path = Path.Combine(folder, HostAssembly + ".dll");
        if (!File.Exists(path) || !File.Exists(Path.Combine(folder, HostAssembly + ".runtimeconfig.json"))) return null;
        var precompiled = Path.Combine(folder, "clusterpool-worker-r2r");
        return BuiltForThisPlatform(precompiled) ? Path.Combine(precompiled, "clusterpool-worker.dll") : path;
    }

    /// <summary>True when the ReadyToRun copy in <paramref name="folder"/> targets this process's platform (its
    /// deps.json says which).</summary>
    private static bool BuiltForThisPlatform(string folder)
    {
        var deps = Path.Combine(folder, "clusterpool-worker.deps.json");
        if (!File.Exists(Path.Combine(folder, "clusterpool-worker.dll")) || !File.Exists(deps)) return false;
        try { return File.ReadAllText(deps).Contains($"/{RuntimeInformation.RuntimeIdentifier}\"",
            StringComparison.Ordinal); }
        catch (IOException) { return false; }
    }

    /// <summary>
    /// In a process started by <see cref="WorkerLaunch"/> with <see cref="WorkerLaunch.InsideApp"/>: the worker host's
    /// arguments, with the markers taken out of this process's environment (what its tasks start is no worker host).
    /// </summary>
    internal static bool IsWorkerRun(out string[] args)
    {
        args = [];
        if (Environment.GetEnvironmentVariable(MarkerVariable) != "1") return false;
        // the app (or its DLL under dotnet), the marker, the host's arguments
        var line = Environment.GetCommandLineArgs();
        if (line.Length < 2 || line[1] != MarkerArgument) return false;
        args = line[2..];
        Environment.SetEnvironmentVariable(MarkerVariable, null);
        var others = (Environment.GetEnvironmentVariable(StartupHooksVariable) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(h => h != HostAssembly);
        Environment.SetEnvironmentVariable(StartupHooksVariable,
            string.Join(Path.PathSeparator, others) is { Length: > 0 } rest ? rest : null);
        return true;
    }

    /// <summary>The environment that makes an application start as a worker host: the marker, and this assembly's
    /// startup hook.</summary>
    internal static void AddMarkers(IDictionary<string, string?> environment)
    {
        environment[MarkerVariable] = "1";
        var hooks = environment.TryGetValue(StartupHooksVariable, out var existing) && !string.IsNullOrEmpty(existing)
            ? existing + Path.PathSeparator + HostAssembly
            : HostAssembly;
        environment[StartupHooksVariable] = hooks;
    }
}
