using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// Cultures cross by name. Sent field by field, a culture's sort rules arrived with their native (ICU) handle as 0:
/// a dictionary made with <c>StringComparer.Create(new CultureInfo("de-DE"), true)</c> crashed each worker that used
/// it (SIGSEGV) and then the program itself, which held the husk after describing the failed item; and
/// <c>StringComparer.CurrentCultureIgnoreCase</c> became the worker's culture. The tests run without culture data, so
/// a program with it (ClusterPool.TestApp) runs the checks and prints them.
/// </summary>
public class CultureTests
{
    [Fact]
    public void CulturesAndTheirComparersCrossToAWorkerAndBackAsTheyAre()
    {
        using var app = Binaries.Start(Binaries.TestApp, ["cultures"]);
        var stderr = app.StandardError.ReadToEndAsync();
        var stdout = app.StandardOutput.ReadToEndAsync();
        var ended = app.WaitForExit(TimeSpan.FromSeconds(60));
        if (!ended) app.Kill(entireProcessTree: true);
        app.WaitForExit();
        var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(ended && app.ExitCode == 0,
            $"exit code {(ended ? app.ExitCode : "none: it hung")}: {string.Join(" | ", lines)} | {stderr.Result}");
        Assert.Equal(5, lines.Count(l => l.Contains(": ok (")));
        Assert.DoesNotContain("SIGSEGV", stderr.Result);
    }
}
