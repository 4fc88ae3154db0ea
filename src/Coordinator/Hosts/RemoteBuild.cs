using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using ClusterPool.Contracts.Launch;

namespace ClusterPool.Hosts;

/// <summary>
/// What a pool ships to its hosts and how a host starts its worker host from it: the app's build output (this
/// process's folder, less what is for other platforms), the shared .NET install this process runs on (for a host with
/// none), and the same command this process starts its local workers with (<see cref="WorkerProcess.Launch"/>), with
/// paths into the host's cache: <c>@APP/</c> for the app's folder, <c>@DOTNET</c> for the host's <c>dotnet</c>.
/// </summary>
internal sealed class RemoteBuild
{
    private readonly ConcurrentDictionary<string, Lazy<FileTree>> _apps = new();
    private readonly Lazy<FileTree?> _runtime;
    private readonly Lazy<string?> _appAssembly;
    private readonly WorkerLaunch _launch;

    /// <summary>The build of this process.</summary>
    /// <exception cref="WorkerLaunchException">This process cannot start a worker host at all.</exception>
    public RemoteBuild() : this(WorkerProcess.Launch, AppContext.BaseDirectory, WorkerProcess.DotnetHost()) { }

    internal RemoteBuild(WorkerLaunch launch, string appFolder, string? dotnetHost)
    {
        _launch = launch;
        AppFolder = Path.GetFullPath(appFolder);
        DotnetHost = dotnetHost;
        _runtime = new(() => dotnetHost is null ? null : RuntimeTree.Of(dotnetHost));
        _appAssembly = new(AppAssembly);
        var environment = new Dictionary<string, string?>();
        if (launch.InsideApp) WorkerProcess.AddMarkers(environment);
        else AppRuntimeSettings.CopyTo(environment);
        Environment = environment.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!);
    }

    /// <summary>The app's build output on this machine.</summary>
    public string AppFolder { get; }

    /// <summary>The shared install's <c>dotnet</c> this process runs on, or null (the app carries its
    /// runtime).</summary>
    public string? DotnetHost { get; }

    /// <summary>True when a host needs a .NET runtime (of <see cref="RuntimeMajor"/>) to start the worker
    /// host.</summary>
    public bool NeedsDotnet => _launch.FileName == DotnetHost;

    /// <summary>The .NET major version the worker host runs on.</summary>
    public static int RuntimeMajor => System.Environment.Version.Major;

    /// <summary>The platform this process runs on (what its runtime and a self-contained app can run on).</summary>
    public static string LocalRuntimeIdentifier => RuntimeInformation.RuntimeIdentifier;

    /// <summary>The variables the worker host gets (the app's runtime settings, or the markers of a host inside the
    /// app's own executable).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The app's files a host of platform <paramref name="rid"/> needs (hashed once per platform).</summary>
    public FileTree AppFor(string rid) => _apps.GetOrAdd(rid, _ => new Lazy<FileTree>(
        () => FileTree.Of("app", AppFolder, path => ShipsTo(path, rid)))).Value;

    /// <summary>This process's runtime, for a host of the same platform without one; null when it cannot serve
    /// there.</summary>
    public FileTree? RuntimeFor(string rid) => rid == LocalRuntimeIdentifier ? _runtime.Value : null;

    /// <summary>
    /// The command that starts the worker host on a host of platform <paramref name="rid"/>, then
    /// <paramref name="workerArguments"/>; null with <paramref name="problem"/> when this app cannot run there.
    /// </summary>
    public IReadOnlyList<string>? Command(string rid, IEnumerable<string> workerArguments, out string? problem)
    {
        problem = null;
        if (!NeedsDotnet && rid != LocalRuntimeIdentifier)
        {
            problem = $"this app carries its own runtime, for {LocalRuntimeIdentifier}, and the host is {rid}: " +
                "publish it framework-dependent (the host then needs, or is given, .NET), or for that platform";
            return null;
        }
        var command = new List<string>();
        foreach (var token in _launch.LeadingArguments.Prepend(_launch.FileName))
        {
            if (token == DotnetHost) { command.Add("@DOTNET"); continue; }
            var relative = Path.GetRelativePath(AppFolder, Path.GetFullPath(token)).Replace('\\', '/');
            if (relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            {
                if (!Path.IsPathRooted(token)) { command.Add(token); continue; } // the marker argument
                problem = $"the worker host starts from {token}, outside the app's folder {AppFolder}";
                return null;
            }
            // The ReadyToRun copy of the worker host serves only the platform it was compiled for.
            if (relative.StartsWith(PrecompiledFolder + "/", StringComparison.Ordinal)
                && rid != LocalRuntimeIdentifier)
                relative = relative[(PrecompiledFolder.Length + 1)..];
            command.Add("@APP/" + relative);
        }
        command.AddRange(workerArguments);
        if (_appAssembly.Value is { } app) command.AddRange([WorkerCommandLine.App, "@APP/" + app]);
        return command;
    }

    private const string PrecompiledFolder = "clusterpool-worker-r2r";

    /// <summary>
    /// The app's main assembly, in its folder: the one whose <c>.deps.json</c> this process runs with (under
    /// <c>dotnet test</c> the test assembly, not the test host), so that its dependencies resolve on the host.
    /// </summary>
    private string? AppAssembly()
    {
        var deps = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string)?.Split(Path.PathSeparator)
            .FirstOrDefault(f => f.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase));
        var candidates = new[]
        {
            deps is null ? null : Path.Combine(Path.GetDirectoryName(deps) ?? "",
                Path.GetFileName(deps)[..^".deps.json".Length] + ".dll"),
            System.Reflection.Assembly.GetEntryAssembly()?.Location,
        };
        return candidates.Where(c => !string.IsNullOrEmpty(c) && File.Exists(c))
            .Select(c => Path.GetRelativePath(AppFolder, Path.GetFullPath(c!)).Replace('\\', '/'))
            .FirstOrDefault(r => !r.StartsWith("../", StringComparison.Ordinal) && !Path.IsPathRooted(r));
    }

    /// <summary>Whether a file of the app's folder goes to a host of platform <paramref name="rid"/>.</summary>
    private static bool ShipsTo(string path, string rid)
    {
        var parts = path.Split('/');
        if (parts.Length > 1 && (RemotePlatform.IsRuntimeIdentifierFolder(parts[0]) || parts[0] == "publish"))
            return false; // another platform's build, or a publish folder, inside the build output
        if (parts.Length > 2 && parts[0] == "runtimes") return RemotePlatform.ServesRuntime(parts[1], rid);
        if (parts[0] == PrecompiledFolder) return rid == LocalRuntimeIdentifier;
        // API documentation beside an assembly: for the IDE, not for running
        return !(path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) && parts.Length == 1);
    }
}
