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
        var app = Binaries.Run(Binaries.TestApp, ["cultures"], TimeSpan.FromSeconds(60));
        Assert.True(app.Ended && app.ExitCode == 0,
            $"exit code {(app.Ended ? app.ExitCode : "none: it hung")}: {string.Join(" | ", app.Lines)} | {app.Stderr}");
        Assert.Equal(5, app.Lines.Count(l => l.Contains(": ok (")));
        Assert.DoesNotContain("SIGSEGV", app.Stderr);
    }
}
