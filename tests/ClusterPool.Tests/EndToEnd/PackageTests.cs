using System.Diagnostics;
using System.Reflection;
using Xunit;
using Xunit.Abstractions;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// ClusterPool as a .NET user takes it: the packages packed into a folder feed, a fresh app that references only the
/// package <c>ClusterPool</c> from that feed, built and run (a Map on 2 local workers), and the tool installed from
/// the same feed running <c>clusterpool demo --scale 0.1</c>.
/// </summary>
public sealed class PackageTests(ITestOutputHelper log) : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(4);

    // A version of its own, so no package cached by an earlier run (in NuGet's global folder) can stand in for this build.
    private readonly string _version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
    private readonly string _root = Directory.CreateTempSubdirectory("clusterpool-package-").FullName;

    [Fact]
    public void AnAppReferencingThePackageRunsMapOnWorkersAndTheToolRunsTheDemo()
    {
        var feed = Path.Combine(_root, "feed");
        var configuration = typeof(PackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        // The projects were built by the test command; packing them again must not rebuild them under the running tests.
        foreach (var project in new[] { "src/Coordinator", "src/Cli" })
            Run("dotnet", ["pack", Path.Combine(RepositoryRoot(), project), "-c", configuration, "--no-build", "-o", feed, $"-p:PackageVersion={_version}"], _root);
        Assert.True(File.Exists(Path.Combine(feed, $"ClusterPool.{_version}.nupkg")), "no ClusterPool package");
        Assert.True(File.Exists(Path.Combine(feed, $"ClusterPool.{_version}.snupkg")), "no symbols package");

        var app = WriteConsumerApp(feed);
        Run("dotnet", ["build", app, "-c", "Release", "-nologo"], app);
        var output = Path.Combine(app, "bin", "Release", "net10.0");
        // A lean library: the pool and its worker host, not the command line, the bench or the samples.
        foreach (var notWanted in new[] { "ClusterPool.Cli.dll", "ClusterPool.Bench.dll", "ClusterPool.Samples.Finance.dll", "Spectre.Console.dll", "ScottPlot.dll" })
            Assert.False(File.Exists(Path.Combine(output, notWanted)), $"{notWanted} came with the package");
        var (stdout, stderr) = Run("dotnet", [Path.Combine(output, "Consumer.dll")], app);
        Assert.Contains("sum=328350 workers=2", stdout);
        Assert.True(stderr.Trim().Length == 0, $"the app printed on stderr: {stderr}");

        var tools = Path.Combine(_root, "tools");
        Run("dotnet", ["tool", "install", "ClusterPool.Tool", "--tool-path", tools, "--version", _version, "--add-source", feed], app);
        var (demo, demoErrors) = Run(Path.Combine(tools, "clusterpool"), ["demo", "--scale", "0.1"], app);
        Assert.Contains("all eight methods", demo);
        Assert.True(demoErrors.Trim().Length == 0, $"the demo printed on stderr: {demoErrors}");
    }

    /// <summary>A console app with only <c>PackageReference ClusterPool</c>, restored from the feed (and nuget.org for Akka and the rest).</summary>
    private string WriteConsumerApp(string feed)
    {
        var app = Directory.CreateDirectory(Path.Combine(_root, "app")).FullName;
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                             ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
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
                <PackageReference Include="ClusterPool" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using ClusterPool;

            return PoolProgram.Run(() =>
            {
                using var pool = Pool.Start(new PoolOptions { Processes = 2 });
                var squares = pool.Map(Functions.Square, Enumerable.Range(0, 100));
                var pids = pool.Map(Functions.Pid, Enumerable.Range(0, 8), chunksize: 1);
                Console.WriteLine($"sum={squares.Sum()} workers={pids.Distinct().Count()}");
            });

            static class Functions
            {
                public static int Square(int x) => x * x;
                public static int Pid(int _) { Thread.Sleep(300); return Environment.ProcessId; }
            }
            """);
        return app;
    }

    /// <summary>Runs a command to its end (killed with its children after <see cref="CommandTimeout"/>); fails unless it exits 0.</summary>
    private (string Stdout, string Stderr) Run(string file, string[] args, string directory)
    {
        var info = new ProcessStartInfo(file, args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        // Not the test host's MSBuild settings: the command runs as in a user's fresh shell.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" }) info.Environment.Remove(name);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var done = process.WaitForExit(CommandTimeout);
            log.WriteLine($"$ {file} {string.Join(' ', args)}\n{(done ? stdout.Result : "")}{(done ? stderr.Result : "")}");
            Assert.True(done, $"{Path.GetFileName(file)} {args[0]} did not finish in {CommandTimeout}");
            Assert.True(process.ExitCode == 0, $"{Path.GetFileName(file)} {string.Join(' ', args)} exited with {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
            return (stdout.Result, stderr.Result);
        }
        finally { Processes.KillTree(process); }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln"))) return dir.FullName;
        throw new InvalidOperationException("the tests do not run inside a clone of the repository (no Cluster.sln above them)");
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
