using System.Text.Json;
using ClusterPool.Tests.EndToEnd;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// How the worker host's project is restored: the build publishes a ReadyToRun copy of it (ClusterPool.Worker.csproj),
/// and that needs the ReadyToRun compiler in the NuGet cache before the first build on a fresh machine.
/// </summary>
public class WorkerBuildTests
{
    [Fact]
    public void RestoreFetchesTheReadyToRunCompiler()
    {
        // Restore records what it downloaded for the project in its assets file; a machine whose NuGet cache was empty
        // failed its first build (NETSDK1094) when the compiler was not among them.
        var assets = Path.Combine(Binaries.RepositoryRoot(), "src", "Worker", "obj", "project.assets.json");
        using var document = JsonDocument.Parse(File.ReadAllText(assets));
        var downloads = document.RootElement.GetProperty("project").GetProperty("frameworks").EnumerateObject()
            .SelectMany(framework => framework.Value.TryGetProperty("downloadDependencies", out var list)
                ? list.EnumerateArray().Select(package => package.GetProperty("name").GetString()!)
                : [])
            .ToList();
        Assert.Contains(downloads, name => name.StartsWith("Microsoft.NETCore.App.Crossgen2.", StringComparison.Ordinal));
    }
}
