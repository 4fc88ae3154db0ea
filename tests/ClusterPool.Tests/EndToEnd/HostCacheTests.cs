using ClusterPool.Bench;
using ClusterPool.Contracts.Launch;
using ClusterPool.Hosts;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// A host's cache, driven by the pool's own SSH sessions with a stand-in worker host (a shell script that waits on its
/// stdin), so each build takes milliseconds: what ships, what stays, and what a full disk says (issue 24).
/// </summary>
public class HostCacheTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string StandIn = "#!/bin/sh\necho \"stand-in worker $$\"\nexec cat > /dev/null\n";

    private static RemoteBuild BuildOf(string folder) =>
        new(new WorkerLaunch(Path.Combine(folder, "worker.sh"), [], "a stand-in", InsideApp: true), folder, null);

    private static SshSettings Ssh(SshTestKeys keys, int keepBuilds = 8) => new("ssh", keys.IdentityFile,
        keys.KnownHostsFile, false, null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), null, keepBuilds, true, 0);

    private static string App(string name)
    {
        var folder = Directory.CreateTempSubdirectory($"clusterpool-app-{name}-").FullName;
        File.WriteAllText(Path.Combine(folder, "worker.sh"), StandIn);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(folder, "worker.sh"),
            (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(Path.Combine(folder, "lib"));
        for (var i = 0; i < 20; i++) File.WriteAllText(Path.Combine(folder, "lib", $"part{i}.dll"), $"part {i} " +
            new string('x', 10_000));
        return folder;
    }

    private static IReadOnlyList<RemoteHostStatus> Start(SshMachine machine, SshSettings ssh, string app)
    {
        var spawner = new RemoteHostSpawner([HostSpec.Parse(machine.UserAtHost)], ssh, BuildOf(app),
            new RemoteWorkerStart("127.0.0.1:1", null, null, 0), NullLogger.Instance);
        spawner.StartAll(othersCanRun: false);
        var statuses = spawner.Statuses;
        Assert.Contains(machine.ProcessesInside(), pid => pid != machine.SshdPid); // the stand-in runs
        spawner.StopAllAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        Wait.For(() => machine.ProcessesInside().SequenceEqual([machine.SshdPid]), TimeSpan.FromSeconds(5),
            "the stand-in to end with its session");
        return statuses;
    }

    [SshdFact]
    public void AnUnchangedBuildShipsNothingAChangedFileShipsAloneAndOldBuildsArePruned()
    {
        using var keys = new SshTestKeys();
        using var machine = keys.TrustedMachine();
        var app = App("cache");
        try
        {
            var ssh = Ssh(keys, keepBuilds: 2);
            var first = Assert.Single(Start(machine, ssh, app));
            Assert.Equal(21, first.ShippedFiles);
            var again = Assert.Single(Start(machine, ssh, app));
            Assert.Equal((0L, 0), (again.ShippedBytes, again.ShippedFiles));

            File.AppendAllText(Path.Combine(app, "lib", "part3.dll"), "changed");
            var changed = Assert.Single(Start(machine, ssh, app));
            Assert.Equal(1, changed.ShippedFiles);
            Assert.Equal(new FileInfo(Path.Combine(app, "lib", "part3.dll")).Length, changed.ShippedBytes);

            // A third build: the cache keeps two, and the files only the oldest had go with it.
            File.AppendAllText(Path.Combine(app, "lib", "part4.dll"), "changed");
            Start(machine, ssh, app);
            var cache = SshMachine.CacheFolder;
            Assert.Equal("2", machine.Run($"ls {cache}/app | wc -l").Output.Trim());
            // 21 files of the newest build, and the old part4 its predecessor had
            Assert.Equal("22", machine.Run($"ls {cache}/blobs | wc -l").Output.Trim());
            Assert.Equal("0", machine.Run($"ls {cache}/stage | wc -l").Output.Trim());
        }
        finally { Directory.Delete(app, recursive: true); }
    }

    [SshdFact]
    public void AFullDiskIsNamedWithTheHostAndNothingHalfShippedCounts()
    {
        using var keys = new SshTestKeys();
        using var machine = keys.TrustedMachine(new SshMachineOptions { CacheBytes = 100_000 });
        var app = App("full");
        try
        {
            var spawner = new RemoteHostSpawner([HostSpec.Parse(machine.UserAtHost)], Ssh(keys), BuildOf(app),
                new RemoteWorkerStart("127.0.0.1:1", null, null, 0), NullLogger.Instance);
            var error = Assert.Throws<RemoteHostException>(() => spawner.StartAll(othersCanRun: false));
            Assert.Contains(machine.UserAtHost, error.Message);
            Assert.Contains("disk", error.Message);
            Assert.Contains("No space left on device", error.Message);
            output.WriteLine(error.Message);
            Assert.Equal("0", machine.Run($"ls {SshMachine.CacheFolder}/app | wc -l").Output.Trim());
            Wait.For(() => machine.ProcessesInside().SequenceEqual([machine.SshdPid]), TimeSpan.FromSeconds(5),
                "nothing but sshd left");
        }
        finally { Directory.Delete(app, recursive: true); }
    }
}
