using ClusterPool.Contracts.Launch;
using System.Globalization;
using System.Runtime;
using ClusterPool.Worker;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// A worker runs the app's code with the app's runtime settings: the same GC, tiered compilation and dynamic PGO
/// (without it user code ran ~40 % slower in a worker), the same globalization. The test host is the app here.
/// </summary>
[Collection("shared pool")]
public class RuntimeSettingsTests(SharedPool shared)
{
    [Fact]
    public void AWorkerHasTheCallersGcJitAndGlobalizationSettings()
    {
        var here = RuntimeProbe.Settings(0);
        var there = shared.Pool.Map(RuntimeProbe.Settings, [0, 1], chunksize: 1);
        Assert.All(there, settings => Assert.Equal(here, settings));
    }

    /// <summary>
    /// A worker's gen0 collections cost more than the app's (Akka's threads and heap), so workers get a larger gen0
    /// budget (clusterpool.local-workers.gc-gen0-size, 32 MiB): 256 MiB of small allocations take about 8
    /// collections there. .NET's own budget follows the CPU's cache: 2 MiB (~130 collections) on one machine this ran
    /// on, ~16 MiB (16 collections) on one with a 32 MiB L3, where the budget of 16 MiB this setting had before made
    /// no difference.
    /// </summary>
    [Fact]
    public void AWorkerCollectsGen0RarelyWhileItsTasksAllocate()
    {
        Assert.Equal(RuntimeProbe.WorkersBudget, shared.Pool.Apply(RuntimeProbe.Gen0Budget, 0));
        var collections = shared.Pool.Apply(RuntimeProbe.Gen0CollectionsFor256MiB, 0);
        Assert.InRange(collections, 0, RuntimeProbe.MostCollectionsFor256MiB);
    }

    /// <summary>
    /// A program run under <c>dotnet-trace collect -- dotnet app.dll</c> has <c>DOTNET_DiagnosticPorts</c> with
    /// "suspend": the tool resumes the program, not the workers, which inherited the variable and waited, suspended, for
    /// ever (the pool never got a worker). No tool listens on this port: a worker that inherits it never runs.
    /// </summary>
    [Fact]
    public void APoolRunsUnderADiagnosticToolThatSuspendsTheProgramItStarts()
    {
        const string variable = "DOTNET_DiagnosticPorts";
        Environment.SetEnvironmentVariable(variable,
            Path.Combine(Path.GetTempPath(), $"clusterpool-no-tool-{Environment.ProcessId}.socket") + ",suspend,connect");
        try
        {
            // No spares: a worker started for another pool would not have inherited the variable.
            using var pool = Pool.Start(new PoolOptions
            {
                Processes = 1, Config = "clusterpool.local-workers.spares.keep-for = 0s",
            });
            Assert.True(pool.WaitUntilReady(TimeSpan.FromSeconds(30)), "the worker never registered");
            Assert.Equal([null, null], pool.Map(RuntimeProbe.DiagnosticPorts, [0, 1]));
        }
        finally { Environment.SetEnvironmentVariable(variable, null); }
    }
}

/// <summary>What a process runs with, as it takes effect (an environment variable wins over the runtimeconfig).</summary>
public static class RuntimeProbe
{
    public static string Settings(int _) => string.Join("; ",
        [
            $"server GC {GCSettings.IsServerGC}",
            $"GC latency {GCSettings.LatencyMode}",
            $"de-DE {(CanLoad("de-DE") ? "loads" : "does not load")}",
            .. AppRuntimeSettings.Passed.Select(s => $"{s.Property} {Effective(s.Property, s.Variable)}"),
        ]);

    /// <summary>What <see cref="Gen0CollectionsFor256MiB"/> may count on a worker: 8 with its 32 MiB budget, 16 with
    /// 16 MiB.</summary>
    public const int MostCollectionsFor256MiB = 12;

    /// <summary>The gen0 budget a worker gets by default (32 MiB, hexadecimal, as .NET reads it).</summary>
    public const string WorkersBudget = "2000000";

    /// <summary>The gen0 budget this process was given (<c>DOTNET_GCgen0size</c>), or null for .NET's own: on a
    /// machine whose own budget is large, the count of collections alone could not tell.</summary>
    public static string? Gen0Budget(int _) => Environment.GetEnvironmentVariable("DOTNET_GCgen0size");

    /// <summary>The diagnostic ports this process was given (<c>DOTNET_DiagnosticPorts</c>).</summary>
    public static string? DiagnosticPorts(int _) => Environment.GetEnvironmentVariable("DOTNET_DiagnosticPorts");

    /// <summary>How many gen0 collections 256 MiB of 1-KiB arrays take in this process.</summary>
    public static int Gen0CollectionsFor256MiB(int _)
    {
        var before = GC.CollectionCount(0);
        for (var i = 0; i < 256 * 1024; i++) GC.KeepAlive(new byte[1000]);
        return GC.CollectionCount(0) - before;
    }

    private static string Effective(string property, string variable) => Environment.GetEnvironmentVariable(variable) switch
    {
        "1" => "true",
        "0" => "false",
        { } other => other,
        null => AppContext.GetData(property)?.ToString()?.ToLowerInvariant() ?? "default",
    };

    private static bool CanLoad(string culture)
    {
        try { return CultureInfo.GetCultureInfo(culture).Name == culture; }
        catch (CultureNotFoundException) { return false; }
    }
}
