using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>The built command-line programs, next to the tests (project references copy them here).</summary>
public static class Binaries
{
    public static string Dir => AppContext.BaseDirectory;

    public static string Worker => Path.Combine(Dir, "clusterpool-worker.dll");

    public static string ClusterPoolCli => Path.Combine(Dir, "ClusterPool.Cli.dll");

    /// <summary>A program as users write one (tests/ClusterPool.TestApp), run with a scenario's name.</summary>
    public static string TestApp => Path.Combine(Dir, "ClusterPool.TestApp.dll");

    public static string TestsAssembly => typeof(Binaries).Assembly.Location;

    /// <summary>The clone the tests were built in (the folder with Cluster.sln above them): packing and publishing start there.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln"))) return dir.FullName;
        throw new InvalidOperationException("the tests do not run inside a clone of the repository (no Cluster.sln above them)");
    }

    /// <summary>The <c>dotnet</c> of the install the tests run on, as the pool finds it for its workers.</summary>
    public static string Dotnet => ClusterPool.Contracts.Launch.WorkerProcess.DotnetHost() ?? "dotnet";

    /// <summary>What a program run to its end printed, and how it ended.</summary>
    /// <param name="Ended">False if it was still running at the deadline (it was then killed).</param>
    /// <param name="ExitCode">Its exit code.</param>
    /// <param name="Lines">What it wrote to standard output, line by line.</param>
    /// <param name="Stderr">What it wrote to standard error.</param>
    public sealed record Ran(bool Ended, int ExitCode, string[] Lines, string Stderr);

    /// <summary>Runs <c>dotnet DLL args</c> to its end, or kills it (and what it started) after
    /// <paramref name="deadline"/>.</summary>
    public static Ran Run(string dll, IEnumerable<string> args, TimeSpan deadline,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        using var app = Start(dll, args, environment: environment);
        var stderr = app.StandardError.ReadToEndAsync();
        var stdout = app.StandardOutput.ReadToEndAsync();
        var ended = app.WaitForExit(deadline);
        if (!ended) app.Kill(entireProcessTree: true);
        app.WaitForExit();
        return new Ran(ended, app.ExitCode, stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            stderr.Result);
    }

    /// <summary>
    /// Starts <c>dotnet DLL args</c> (optionally through a wrapper such as <c>ip netns exec NS</c>), capturing its output,
    /// with <paramref name="environment"/> added to the test's own.
    /// </summary>
    public static Process Start(string dll, IEnumerable<string> args, string[]? wrapper = null, bool redirectStdin = false,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var command = new List<string>();
        if (wrapper is not null) command.AddRange(wrapper);
        command.Add(Dotnet);
        command.Add(dll);
        command.AddRange(args);
        var info = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
        };
        foreach (var arg in command.Skip(1)) info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        return Process.Start(info)!;
    }
}
