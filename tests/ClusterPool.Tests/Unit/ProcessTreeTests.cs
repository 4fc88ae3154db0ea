using System.Diagnostics;
using ClusterPool.Contracts;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class ProcessTreeTests
{
    /// <summary>
    /// A process leading its own group (as a worker does) that started a child and an orphan: killing it with its group
    /// kills all three, the orphan included, though init adopted it and no parent link leads to it any more.
    /// </summary>
    [Fact]
    public void KillWithGroupsKillsTheLeaderAndEverythingItsGroupStarted()
    {
        // setsid: the shell leads a new group, as a worker does with ProcessTree.LeadOwnGroup.
        using var leader = Process.Start(new ProcessStartInfo("setsid", ["sh", "-c", "sleep 60 & sh -c 'sleep 60 >/dev/null 2>&1 &' ; wait"]))!;
        try
        {
            var group = Wait.For(() => GroupOf(leader.Id), g => g.Count >= 3, TimeSpan.FromSeconds(10),
                $"3 processes in the group of {leader.Id}");

            ProcessTree.KillWithGroups([leader.Id]);

            Assert.True(leader.WaitForExit(5000));
            Wait.For(() => group.All(Gone),
                TimeSpan.FromSeconds(5), "every process of the group to be gone after the kill");
        }
        finally { if (!leader.HasExited) leader.Kill(entireProcessTree: true); }
    }

    /// <summary>Every process whose process group is <paramref name="leader"/>'s (field 5 of /proc/PID/stat).</summary>
    private static List<int> GroupOf(int leader) =>
        [.. Directory.GetDirectories("/proc").Select(Path.GetFileName).Select(name => int.TryParse(name, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Stat(pid) is { } f && f.Length > 2 && f[2] == $"{leader}" && !f[0].StartsWith('Z'))];

    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
    }

    // A killed process waits as a zombie until its parent reaps it: that counts as gone.
    private static bool Gone(int pid) => Stat(pid) is not { } f || f[0].StartsWith('Z');
}
