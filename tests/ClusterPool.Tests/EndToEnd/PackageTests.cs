using System.Diagnostics;
using System.Reflection;
using Xunit;
using Xunit.Abstractions;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// ClusterPool as a .NET user takes it: the packages packed into a folder feed (once, <see cref="PackageFeed"/>), fresh
/// apps that reference only the package <c>ClusterPool</c> from that feed, built, published the ways .NET shops ship
/// (framework-dependent, self-contained, single-file) and run - a Map on 2 local workers - on a PATH without
/// <c>dotnet</c>; and the tool installed from the same feed running <c>clusterpool demo --scale 0.1</c>.
/// </summary>
public sealed class PackageTests(PackageFeed feed, ITestOutputHelper log) : IClassFixture<PackageFeed>, IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(4);

    private readonly string _root = Directory.CreateTempSubdirectory("clusterpool-package-").FullName;

    // The environment of a machine with no .NET SDK on PATH and no DOTNET_ROOT: what self-contained apps are shipped to.
    // A PATH where nothing is found: /usr/bin:/bin held dotnet here (/usr/bin/dotnet, a link to the install).
    private static readonly Dictionary<string, string?> NoDotnetOnPath = new()
    {
        ["PATH"] = "/clusterpool-test-path-without-dotnet",
        ["DOTNET_ROOT"] = null,
    };

    [Fact]
    public void AnAppReferencingThePackageRunsMapOnWorkersAndTheToolRunsTheDemo()
    {
        var app = WriteConsumerApp();
        Run("dotnet", ["build", app, "-c", "Release", "-nologo"], app);
        var output = Path.Combine(app, "bin", "Release", "net10.0");
        // A lean library: the pool and its worker host, not the command line, the bench or the samples.
        foreach (var notWanted in new[] { "ClusterPool.Cli.dll", "ClusterPool.Bench.dll", "ClusterPool.Samples.Finance.dll", "Spectre.Console.dll", "ScottPlot.dll",
                                          "System.CommandLine.dll" })
            Assert.False(File.Exists(Path.Combine(output, notWanted)), $"{notWanted} came with the package");
        // The app's own Akka is the precompiled one of the package's worker copy (ClusterPool.ReadyToRun.targets).
        Assert.True(Unit.PrecompiledLibrariesTests.IsPrecompiled(Path.Combine(output, "Akka.dll")), "the app's Akka.dll is IL only");
        var (stdout, stderr) = Run("dotnet", [Path.Combine(output, "Consumer.dll")], app);
        Assert.Contains("sum=328350 workers=2", stdout);
        Assert.Contains("money=1.234,50", stdout);
        Assert.True(stderr.Trim().Length == 0, $"the app printed on stderr: {stderr}");
        // The app's own executable, with no dotnet on PATH: its workers run on the .NET install the app runs on.
        (stdout, _) = Run(Path.Combine(output, "Consumer"), [], app, NoDotnetOnPath);
        Assert.Contains("sum=328350 workers=2", stdout);
        // A framework-dependent publish ships the same precompiled files (it listed each of them twice once: NETSDK1152).
        var published = Path.Combine(_root, "framework-dependent");
        Run("dotnet", ["publish", app, "-c", "Release", "-o", published, "-nologo"], app);
        Assert.True(Unit.PrecompiledLibrariesTests.IsPrecompiled(Path.Combine(published, "Akka.dll")), "the published Akka.dll is IL only");
        (stdout, _) = Run("dotnet", [Path.Combine(published, "Consumer.dll")], published);
        Assert.Contains("sum=328350 workers=2", stdout);
        // Without the worker host (an app built from a clone that references only src/Coordinator): a clear
        // WorkerStartException at Pool.Start, not every worker dying with a startup hook's stack trace.
        File.Delete(Path.Combine(output, "clusterpool-worker.dll"));
        if (Directory.Exists(Path.Combine(output, "clusterpool-worker-r2r")))
            Directory.Delete(Path.Combine(output, "clusterpool-worker-r2r"), recursive: true);
        var (_, noHost, noHostCode) = RunToEnd("dotnet", [Path.Combine(output, "Consumer.dll")], app);
        Assert.NotEqual(0, noHostCode);
        Assert.Contains("ClusterPool.WorkerStartException", noHost);
        Assert.Contains("does not hold the worker host", noHost);
        Assert.DoesNotContain("Startup hook", noHost);

        var tools = Path.Combine(_root, "tools");
        Run("dotnet", ["tool", "install", "ClusterPool.Tool", "--tool-path", tools, "--version", feed.Version, "--add-source", feed.Folder], app);
        var (demo, demoErrors) = Run(Path.Combine(tools, "clusterpool"), ["demo", "--scale", "0.1"], app);
        Assert.Contains("all eight methods", demo);
        Assert.True(demoErrors.Trim().Length == 0, $"the demo printed on stderr: {demoErrors}");
    }

    /// <summary>
    /// Self-contained and single-file publishes run on a machine without .NET: no dotnet on PATH, no DOTNET_ROOT. Their
    /// workers run inside the app's own executable, and the app's functions are its own, not .NET's (a self-contained app
    /// carries .NET beside its code). An app that cannot host workers (startup hooks switched off) says so at Pool.Start.
    /// </summary>
    [Fact]
    public void SelfContainedAndSingleFilePublishesRunMapWithoutDotnetOnPath()
    {
        var app = WriteConsumerApp();
        foreach (var (name, extra) in new[] { ("self-contained", Array.Empty<string>()), ("single-file", ["-p:PublishSingleFile=true"]) })
        {
            var publish = Path.Combine(_root, name);
            Run("dotnet", ["publish", app, "-c", "Release", "-r", "linux-x64", "--self-contained", "-o", publish, "-nologo", .. extra], app);
            Assert.False(Directory.Exists(Path.Combine(publish, "clusterpool-worker-r2r")), $"{name}: the framework-dependent ReadyToRun worker copy came along");
            var (stdout, stderr) = Run(Path.Combine(publish, "Consumer"), [], publish, NoDotnetOnPath);
            Assert.Contains("sum=328350 workers=2", stdout);
            Assert.Contains("money=1.234,50", stdout);
            Assert.True(stderr.Trim().Length == 0, $"{name}: the app printed on stderr: {stderr}");
        }

        // The same self-contained app with startup hooks switched off in its runtimeconfig: a clear WorkerStartException.
        var config = Path.Combine(_root, "self-contained", "Consumer.runtimeconfig.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(config))!;
        var options = json["runtimeOptions"]!.AsObject();
        if (options["configProperties"] is null) options["configProperties"] = new System.Text.Json.Nodes.JsonObject();
        options["configProperties"]!["System.StartupHookProvider.IsSupported"] = false;
        File.WriteAllText(config, json.ToJsonString());
        var (_, errors, code) = RunToEnd(Path.Combine(_root, "self-contained", "Consumer"), [], _root, NoDotnetOnPath);
        Assert.NotEqual(0, code);
        Assert.Contains("ClusterPool.WorkerStartException", errors);
        Assert.Contains("StartupHookSupport", errors);
    }

    /// <summary>
    /// The package imposes no command-line library: an app pinned to System.CommandLine 2.0.0-beta4 builds and runs a
    /// Map. An app pinned to another Newtonsoft.Json than Akka's keeps its own: only the very file a precompiled copy was
    /// made from is swapped for it.
    /// </summary>
    [Fact]
    public void AnAppPinnedToAnOldSystemCommandLineBuildsAndRunsMap()
    {
        var app = WriteConsumerApp("""
            <PackageReference Include="System.CommandLine" Version="2.0.0-beta4.22272.1" />
            <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />
            """,
            """Console.Error.Write(typeof(System.CommandLine.RootCommand).Assembly.GetName().Version is { Major: 2 } ? "" : "wrong System.CommandLine");""");
        Run("dotnet", ["build", app, "-c", "Release", "-nologo"], app);
        var output = Path.Combine(app, "bin", "Release", "net10.0");
        Assert.StartsWith("13.0.3", FileVersionInfo.GetVersionInfo(Path.Combine(output, "Newtonsoft.Json.dll")).ProductVersion);
        Assert.False(Unit.PrecompiledLibrariesTests.IsPrecompiled(Path.Combine(output, "Newtonsoft.Json.dll")), "the app's pinned Newtonsoft.Json was swapped");
        Assert.True(Unit.PrecompiledLibrariesTests.IsPrecompiled(Path.Combine(output, "Akka.dll")), "the app's Akka.dll is IL only");
        var (stdout, stderr) = Run("dotnet", [Path.Combine(output, "Consumer.dll")], app);
        Assert.Contains("sum=328350 workers=2", stdout);
        Assert.True(stderr.Trim().Length == 0, $"the app printed on stderr: {stderr}");
    }

    /// <summary>
    /// A console app with only <c>PackageReference ClusterPool</c> (and <paramref name="references"/>), restored from the
    /// feed, and an <c>App.config</c> as apps moved from .NET Framework have.
    /// </summary>
    private string WriteConsumerApp(string references = "", string firstLine = "")
    {
        var app = Directory.CreateDirectory(Path.Combine(_root, "app")).FullName;
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                             ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed.Folder}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        // Its own packages folder, so that this test's ClusterPool never lands in the machine's; the machine's folder
        // serves the rest (Akka and friends) without downloading them again.
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <RestorePackagesPath>{Path.Combine(_root, "packages")}</RestorePackagesPath>
                <RestoreFallbackFolders>{globalPackages}</RestoreFallbackFolders>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ClusterPool" Version="{feed.Version}" />
                {references}
              </ItemGroup>
            </Project>
            """);
        // An App.config kept from .NET Framework: a WCF client's section, which .NET no longer declares. The pool reads
        // no app.config (Akka's ActorSystem.Create did, and threw); in a self-contained app neither do its workers,
        // which run inside the app's executable.
        File.WriteAllText(Path.Combine(app, "App.config"), """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <system.serviceModel>
                <client />
              </system.serviceModel>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), $$"""
            using ClusterPool;

            {{firstLine}}
            return PoolProgram.Run(() =>
            {
                using var pool = Pool.Start(new PoolOptions { Processes = 2 });
                var squares = pool.Map(Functions.Square, Enumerable.Range(0, 100));
                var pids = pool.Map(Functions.Pid, Enumerable.Range(0, 8), chunksize: 1);
                Console.WriteLine($"sum={squares.Sum()} workers={pids.Distinct().Count()}");
                Console.WriteLine($"money={pool.Apply(Functions.Money, 1234.5)}");
            });

            static class Functions
            {
                public static int Square(int x) => x * x;
                public static int Pid(int _) { Thread.Sleep(300); return Environment.ProcessId; }
                // The app's cultures work on its workers (a worker host built for invariant globalization cannot load de-DE).
                public static string Money(double x) => x.ToString("N2", System.Globalization.CultureInfo.GetCultureInfo("de-DE"));
            }
            """);
        return app;
    }

    /// <summary>Runs a command to its end (killed with its children after <see cref="CommandTimeout"/>); fails unless it exits 0.</summary>
    private (string Stdout, string Stderr) Run(string file, string[] args, string directory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var (stdout, stderr, code) = RunToEnd(file, args, directory, environment);
        Assert.True(code == 0, $"{Path.GetFileName(file)} {string.Join(' ', args)} exited with {code}:\n{stdout}\n{stderr}");
        return (stdout, stderr);
    }

    private (string Stdout, string Stderr, int Code) RunToEnd(string file, string[] args, string directory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(file, args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        // Not the test host's MSBuild settings: the command runs as in a user's fresh shell.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" }) info.Environment.Remove(name);
        // The SDK leaves empty folders in the temp folder at each build: in this test's, removed with it.
        info.Environment["TMPDIR"] = Directory.CreateDirectory(Path.Combine(_root, "tmp")).FullName;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            if (value is null) info.Environment.Remove(name); else info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var done = process.WaitForExit(CommandTimeout);
            log.WriteLine($"$ {file} {string.Join(' ', args)}\n{(done ? stdout.Result : "")}{(done ? stderr.Result : "")}");
            Assert.True(done, $"{Path.GetFileName(file)} {args.FirstOrDefault()} did not finish in {CommandTimeout}");
            return (stdout.Result, stderr.Result, process.ExitCode);
        }
        finally { Processes.KillTree(process); }
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// The packages of this build in a folder feed, packed once for every test of <see cref="PackageTests"/>, with a version
/// of their own, so no package cached by an earlier run (in NuGet's global folder) can stand in for this build.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("clusterpool-feed-").FullName;

    public string Version { get; } = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    public string Folder => Path.Combine(_root, "feed");

    public PackageFeed()
    {
        var configuration = typeof(PackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        // The projects were built by the test command; packing them again must not rebuild them under the running tests.
        foreach (var project in new[] { "src/Coordinator", "src/Cli" })
        {
            var info = new ProcessStartInfo("dotnet", ["pack", Path.Combine(Binaries.RepositoryRoot(), project), "-c", configuration, "--no-build", "-o", Folder, $"-p:PackageVersion={Version}"])
                { RedirectStandardOutput = true, RedirectStandardError = true };
            // The SDK leaves empty folders in the temp folder at each build: in this feed's, removed with it.
            info.Environment["TMPDIR"] = Directory.CreateDirectory(Path.Combine(_root, "tmp")).FullName;
            using var pack = Process.Start(info)!;
            var output = pack.StandardOutput.ReadToEndAsync();
            var errors = pack.StandardError.ReadToEndAsync();
            if (!pack.WaitForExit(TimeSpan.FromMinutes(4))) { Processes.KillTree(pack); throw new TimeoutException($"dotnet pack {project} did not finish"); }
            if (pack.ExitCode != 0) throw new InvalidOperationException($"dotnet pack {project} exited with {pack.ExitCode}:\n{output.Result}\n{errors.Result}");
        }
        if (!File.Exists(Path.Combine(Folder, $"ClusterPool.{Version}.nupkg"))) throw new InvalidOperationException("no ClusterPool package");
        if (!File.Exists(Path.Combine(Folder, $"ClusterPool.{Version}.snupkg"))) throw new InvalidOperationException("no symbols package");
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
