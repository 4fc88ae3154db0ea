using System.Diagnostics;
using System.Reflection;
using Xunit;
using Xunit.Abstractions;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// Windows, as far as this Linux machine can show it: the <c>clusterpool</c> tool published from this clone for win-x64,
/// self-contained (the way a Windows server without .NET gets it), run under Wine (<see cref="WinePublish"/>). Its
/// workers run inside the tool's own executable, under the pool's kill-on-close job object. Killing a Windows process
/// here means killing the Linux process Wine runs it in (as <c>taskkill /F</c> would: no chance to clean up).
/// </summary>
public sealed class WindowsUnderWineTests(WinePublish wine, ITestOutputHelper log) : IClassFixture<WinePublish>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>The demo, all eight methods, each task on a worker process of the pool (not the coordinator).</summary>
    [Fact]
    public void TheDemoRunsAllEightMethodsOnWindowsWorkerProcesses()
    {
        var (stdout, stderr, code) = wine.Run(["demo", "--processes", WinePublish.DemoProcesses.ToString(), "--scale", "0.1", "--json"], TimeSpan.FromMinutes(5), log);
        Assert.True(code == 0, $"the demo exited with {code}: {stderr}");
        var methods = DemoCommandTests.Methods(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')));
        foreach (var method in methods)
        {
            var rows = method.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(3, rows.Count);
            var parents = rows.Select(r => r[2].GetInt32()).Distinct().ToList();
            Assert.Single(parents);                                              // started by the one coordinator
            Assert.DoesNotContain(parents[0], rows.Select(r => r[3].GetInt32())); // and run elsewhere
        }
    }

    /// <summary>
    /// A pool's workers hold none of the program's thread-pool threads. A child's stdout and stderr are synchronous pipes
    /// on Windows, and reading them asynchronously held two threads a worker for as long as it ran (dotnet/runtime#81896):
    /// with the program's thread pool capped at 8 threads and 6 workers (12 streams), the demo hung before its workers
    /// were ready; without a cap, Akka's actors waited for .NET to add threads and 64 workers took 236 s to be ready.
    /// </summary>
    [Fact]
    public void APoolsWorkersHoldNoneOfTheProgramsThreadPoolThreads()
    {
        var (stdout, stderr, code) = wine.Run(["demo", "--processes", "6", "--scale", "0.1"], TimeSpan.FromMinutes(2), log,
            new Dictionary<string, string> { ["DOTNET_ThreadPool_ForceMaxWorkerThreads"] = "8" });
        Assert.True(code == 0, $"the demo exited with {code}: {stderr}");
        Assert.Contains("6 workers ready", stdout);
        Assert.Contains("all eight methods", stdout);
    }

    /// <summary>A worker killed while it holds a Map's chunks: its chunks run again, and every company's row is written once.</summary>
    [Fact]
    public void AWorkerKilledMidMapLosesNoResult()
    {
        var db = Path.Combine(wine.Root, $"kill-{Guid.NewGuid():N}.db");
        using var run = wine.Start(["sample", "finance", "--companies", "1200", "--processes", "3", "--work-ms", "25", "--db", WinePublish.WindowsPath(db)]);
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        try
        {
            Wait.For(() => WorkerPids().Count >= 3 || run.HasExited, Patience, "the sample's 3 workers");
            Wait.For(() => File.Exists(db) || run.HasExited, Patience, "the sample to open its database");
            Thread.Sleep(TimeSpan.FromSeconds(5)); // into the Map: 1,200 companies of 25 ms on 3 workers take 10 s
            Assert.False(run.HasExited, "the sample ended before a worker could be killed");
            var victim = WorkerPids().First();
            Process.GetProcessById(victim).Kill();
            log.WriteLine($"killed worker process {victim}");
            Assert.True(run.WaitForExit(Patience), "the sample did not finish after a worker was killed");
            Assert.True(run.ExitCode == 0, $"the sample exited with {run.ExitCode}: {stderr.Result}");
            Assert.Contains("1200 companies analysed", stdout.Result);
        }
        finally { Stop(run); }
    }

    /// <summary>The coordinator killed (kill -9, as taskkill /F): its job object closes and no worker process is left.</summary>
    [Fact]
    public void KillingTheCoordinatorLeavesNoWorkerBehind()
    {
        using var demo = wine.Start(["demo", "--processes", "3", "--scale", "2"]);
        var ready = new ManualResetEventSlim();
        demo.OutputDataReceived += (_, line) => { if (line.Data?.Contains("workers ready") == true) ready.Set(); };
        demo.BeginOutputReadLine();
        try
        {
            Assert.True(ready.Wait(Patience), "the demo's workers never became ready");
            Assert.False(demo.HasExited, "the demo ended early");
            var workers = WorkerPids();
            demo.Kill();
            Wait.For(() => WorkerPids().Intersect(workers).ToList(), left => left.Count == 0, TimeSpan.FromSeconds(20),
                "every worker process to exit after the coordinator was killed");
        }
        finally { Stop(demo); }
    }

    /// <summary>The Linux ids of the tool's worker processes under Wine (their command line carries the worker marker).</summary>
    private List<int> WorkerPids() =>
        Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(pid => pid > 0)
            .Where(pid =>
            {
                try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ') is var line && line.Contains("ClusterPool.Cli.exe") && line.Contains(" clusterpool-worker "); }
                catch (IOException) { return false; }
                catch (UnauthorizedAccessException) { return false; }
            }).ToList();

    private void Stop(Process process)
    {
        Processes.KillTree(process);
        foreach (var pid in WorkerPids()) { try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } }
    }
}

/// <summary>
/// The <c>clusterpool</c> tool published for win-x64, self-contained, from this clone, and a Wine prefix of its own set to
/// Windows 10 - made once for every test of <see cref="WindowsUnderWineTests"/>, removed after them. Needs Debian's
/// <c>wine64</c> (installed on first use as root, <see cref="DebianPackages"/>).
/// </summary>
public sealed class WinePublish : IDisposable
{
    /// <summary>How many worker processes the demo runs under Wine: more than Windows lets Python's pool have (61), unless
    /// <c>CLUSTERPOOL_WINE_PROCESSES</c> says otherwise.</summary>
    public static int DemoProcesses => int.TryParse(Environment.GetEnvironmentVariable("CLUSTERPOOL_WINE_PROCESSES"), out var n) ? n : 64;

    public string Root { get; } = Directory.CreateTempSubdirectory("clusterpool-wine-").FullName;

    private string Tool => Path.Combine(Root, "publish", "ClusterPool.Cli.exe");

    private string Prefix => Path.Combine(Root, "prefix");

    public WinePublish()
    {
        if (DebianPackages.Ensure("/usr/bin/wine", "wine64") is { } whyNot)
            throw new InvalidOperationException($"the Windows tests need Wine: {whyNot}");
        // Built in the other configuration than the running tests', so their files (loaded now) are never written over.
        var running = typeof(WinePublish).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var configuration = running == "Release" ? "Debug" : "Release";
        Exec("dotnet", ["publish", Path.Combine(Binaries.RepositoryRoot(), "src", "Cli"), "-c", configuration, "-r", "win-x64", "--self-contained",
            "-o", Path.Combine(Root, "publish"), "-nologo", "-p:ClusterPoolReadyToRun=false"], TimeSpan.FromMinutes(6));
        Exec("wineboot", ["--init"], TimeSpan.FromMinutes(2));
        Exec("wine", ["reg", "add", @"HKLM\Software\Microsoft\Windows NT\CurrentVersion", "/v", "CurrentVersion", "/d", "10.0", "/f"], TimeSpan.FromMinutes(1));
    }

    /// <summary>The Windows path Wine gives a Linux path (its Z: drive is /).</summary>
    public static string WindowsPath(string path) => "Z:" + path.Replace('/', '\\');

    /// <summary>Starts the tool under Wine with <paramref name="args"/> (and <paramref name="environment"/> added to its
    /// own), its output redirected.</summary>
    public Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = StartInfo("wine", [Tool, .. args]);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        return Process.Start(info)!;
    }

    /// <summary>Runs the tool under Wine to its end (killed after <paramref name="timeout"/>).</summary>
    public (string Stdout, string Stderr, int Code) Run(IEnumerable<string> args, TimeSpan timeout, ITestOutputHelper log,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(args, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            Assert.True(process.WaitForExit(timeout), $"the tool did not finish under Wine in {timeout}");
            log.WriteLine(stdout.Result + stderr.Result);
            return (stdout.Result, stderr.Result, process.ExitCode);
        }
        finally { Processes.KillTree(process); }
    }

    private ProcessStartInfo StartInfo(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        info.Environment["WINEPREFIX"] = Prefix;
        info.Environment["WINEDEBUG"] = "-all";
        info.Environment["DOTNET_EnableWriteXorExecute"] = "0"; // .NET's W^X mappings do not work under Wine
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" }) info.Environment.Remove(name);
        // The SDK leaves empty folders in the temp folder at each build: in this fixture's, removed with it.
        if (file == "dotnet") info.Environment["TMPDIR"] = Directory.CreateDirectory(Path.Combine(Root, "tmp")).FullName;
        return info;
    }

    private void Exec(string file, string[] args, TimeSpan timeout)
    {
        using var process = Process.Start(StartInfo(file, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout)) { Processes.KillTree(process); throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout}"); }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
    }

    public void Dispose()
    {
        // The prefix's wineserver outlives the programs by a few seconds: stop it, then remove everything.
        try { Exec("wineserver", ["-k"], TimeSpan.FromSeconds(30)); } catch (Exception) { /* none running */ }
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
