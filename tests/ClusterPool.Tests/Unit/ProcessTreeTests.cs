using System.Diagnostics;
using ClusterPool.Contracts;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class ProcessTreeTests
{
    /// <summary>A shell that started two sleeps, one of them through a second shell: all four die together.</summary>
    [Fact]
    public void KillAllKillsEveryProcessOfTheTree()
    {
        using var shell = Process.Start(new ProcessStartInfo("sh", ["-c", "sleep 60 & sh -c 'sleep 60 & wait' & wait"]))!;
        try
        {
            IReadOnlyList<int> tree = [];
            Assert.True(SpinWait.SpinUntil(() => (tree = ProcessTree.Descendants([shell.Id])).Count >= 3, TimeSpan.FromSeconds(10)),
                $"the shell's descendants: {string.Join(", ", tree)}");

            ProcessTree.KillAll([shell.Id]);

            Assert.True(shell.WaitForExit(5000));
            Assert.True(SpinWait.SpinUntil(() => tree.All(Gone), TimeSpan.FromSeconds(5)), "a descendant outlived the kill");
        }
        finally { if (!shell.HasExited) shell.Kill(entireProcessTree: true); }
    }

    // A killed child of a killed parent is reaped by init; until then it is a zombie, which counts as gone.
    private static bool Gone(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z'); }
        catch (IOException) { return true; }
    }
}
