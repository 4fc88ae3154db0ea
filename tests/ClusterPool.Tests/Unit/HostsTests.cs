using ClusterPool.Hosts;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>The parts of starting workers over SSH that need no host: entries, SSH's errors, platforms, the
/// content-addressed build (issue 24).</summary>
public class HostsTests
{
    [Theory]
    [InlineData("node1", null, "node1", null, null)]
    [InlineData("alice@node1", "alice", "node1", null, null)]
    [InlineData("alice@node1:2222 slots=8", "alice", "node1", 2222, 8)]
    [InlineData("10.0.0.5  slots=4", null, "10.0.0.5", null, 4)]
    [InlineData("bob@[fe80::1]:22", "bob", "fe80::1", 22, null)]
    public void AHostEntryReadsAsAnMpiHostfileLine(string entry, string? user, string host, int? port, int? slots)
    {
        var spec = HostSpec.Parse(entry);
        Assert.Equal((user, host, port, slots), (spec.User, spec.Host, spec.Port, spec.Slots));
    }

    [Theory]
    [InlineData("node1 slots=0", "slots=N")]
    [InlineData("node1 cores=4", "slots=N")]
    [InlineData("node1 slots=100000", "from 1 to 4,096: a slot is a thread")]
    [InlineData("node1:99999", "not a port")]
    [InlineData("@node1", "empty user")]
    [InlineData("", "empty")]
    public void ABadHostEntryIsRefusedSayingWhatIsWrong(string entry, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => HostSpec.Parse(entry));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AHostsFileSkipsCommentsAndNamesTheLineOfABadEntry()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["# the batch machines", "alice@a slots=2", "", "b  # second", "c slots=x"]);
            var error = Assert.Throws<ArgumentException>(() => HostSpec.ReadFile(file));
            Assert.Contains("line 5", error.Message);
            File.WriteAllLines(file, ["# the batch machines", "alice@a slots=2", "", "b  # second"]);
            Assert.Equal(["alice@a", "b"], HostSpec.ReadFile(file).Select(h => h.Name));
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void PoolStartRefusesAHostNamedTwice()
    {
        var error = Assert.Throws<ArgumentException>(() => Pool.Start(new PoolOptions { Hosts = ["a", "a slots=2"] }));
        Assert.Contains("names a twice", error.Message);
    }

    private static readonly SshSettings Ssh = new("ssh", null, "/tmp/kh", false, null, TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(5), null, 8, false, 3);

    [Fact]
    public void SshsOwnFailuresAreNamedWithWhatToDo()
    {
        var host = HostSpec.Parse("alice@node1:2222");
        string Explain(string stderr) => SshFailure.Explain(host, Ssh, stderr, _ => "ED25519 SHA256:abc");
        Assert.Contains("CHANGED", Explain("""
            @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
            @    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @
            The fingerprint for the ED25519 key sent by the remote host is
            SHA256:9u5Qx1V0yxQvOq3f3m0Yw0P2fK2b9Qq2nU8tIxYxYxY.
            Host key verification failed.
            """));
        Assert.Contains("SHA256:9u5Qx1V0yxQvOq3f3m0Yw0P2fK2b9Qq2nU8tIxYxYxY", Explain(
            "REMOTE HOST IDENTIFICATION HAS CHANGED\nSHA256:9u5Qx1V0yxQvOq3f3m0Yw0P2fK2b9Qq2nU8tIxYxYxY."));
        var unknown = Explain("No ED25519 host key is known for [node1]:2222 and you have requested strict checking.\n" +
            "Host key verification failed.");
        Assert.Contains("not in /tmp/kh", unknown);
        Assert.Contains("ED25519 SHA256:abc", unknown);
        Assert.Contains("AcceptNewHostKeys", unknown);
        Assert.Contains("refused every key", Explain("alice@node1: Permission denied (publickey,password)."));
        Assert.Contains("publickey,password", Explain("alice@node1: Permission denied (publickey,password)."));
        Assert.Contains("port 2222", Explain("ssh: connect to host node1 port 2222: Connection refused"));
        Assert.Contains("unreachable", Explain("ssh: connect to host node1 port 2222: No route to host"));
        Assert.Contains("unreachable", Explain("ssh: connect to host node1 port 2222: Connection timed out"));
        Assert.Contains("not known", Explain("ssh: Could not resolve hostname node1: Name or service not known"));
        Assert.Contains("something odd", Explain("line one\nsomething odd\n"));
    }

    [Fact]
    public void AFingerprintIsOpenSshs()
    {
        // ssh-keygen -lf of this key printed SHA256:qkpqwduPY33MJDvt/PZZyLjxqC27Ud9lDS+aDjx19wI
        Assert.Equal("SHA256:qkpqwduPY33MJDvt/PZZyLjxqC27Ud9lDS+aDjx19wI",
            HostKeyScan.Fingerprint("AAAAC3NzaC1lZDI1NTE5AAAAIFIaLrFTzT38kX7C0Jq7HZxHp+UUTwNUlVXITZo3JZJm"));
    }

    [Fact]
    public void TheHostSideScriptHasNoSingleQuoteAndIsValidPosixShell()
    {
        // It travels in single quotes through the host's login shell (SshCommand.Quote), and runs under sh.
        using var stream = typeof(Pool).Assembly.GetManifestResourceStream("hosts/remote-host.sh")!;
        var script = new StreamReader(stream).ReadToEnd();
        Assert.DoesNotContain("'", script);
        Assert.DoesNotContain("\r", script);
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, script);
            using var check = System.Diagnostics.Process.Start("sh", ["-n", file]);
            check.WaitForExit();
            Assert.Equal(0, check.ExitCode);
        }
        finally { File.Delete(file); }
    }

    [Theory]
    [InlineData("Linux", "x86_64", "linux-x64")]
    [InlineData("Linux", "aarch64", "linux-arm64")]
    [InlineData("Darwin", "arm64", "osx-arm64")]
    [InlineData("SunOS", "i86pc", null)]
    public void AHostsPlatformIsARuntimeIdentifier(string system, string machine, string? rid) =>
        Assert.Equal(rid, RemotePlatform.RuntimeIdentifier(system, machine));

    [Fact]
    public void ABuildShipsOnlyWhatItsHostsPlatformRunsAndAChangedFileChangesItsId()
    {
        var folder = Directory.CreateTempSubdirectory("clusterpool-tree-").FullName;
        try
        {
            foreach (var path in new[] { "App.dll", "App.xml", "runtimes/linux-x64/native/a.so",
                "runtimes/win-x64/native/a.dll", "runtimes/unix/lib/b.dll", "win-x64/App.exe",
                "clusterpool-worker.dll" })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
                File.WriteAllText(Path.Combine(folder, path), path);
            }
            var launch = new Contracts.Launch.WorkerLaunch("/usr/share/dotnet/dotnet",
                [Path.Combine(folder, "clusterpool-worker.dll")], "test", InsideApp: false);
            var build = new RemoteBuild(launch, folder, "/usr/share/dotnet/dotnet");
            var tree = build.AppFor("linux-x64");
            Assert.Equal(["App.dll", "clusterpool-worker.dll", "runtimes/linux-x64/native/a.so",
                "runtimes/unix/lib/b.dll"], tree.Files.Select(f => f.Path));
            Assert.Equal(["@DOTNET", "@APP/clusterpool-worker.dll", "--join", "h:1"],
                build.Command("linux-arm64", ["--join", "h:1"], out _)!.Take(4));

            // Same content, same id; one changed byte, another id, and only that file has another hash.
            Assert.Equal(tree.Id, FileTree.Of("app", folder, p => tree.Files.Any(f => f.Path == p)).Id);
            File.AppendAllText(Path.Combine(folder, "App.dll"), "!");
            var changed = FileTree.Of("app", folder, p => tree.Files.Any(f => f.Path == p));
            Assert.NotEqual(tree.Id, changed.Id);
            Assert.Equal(["App.dll"], changed.Files.Where(f => !tree.Files.Any(t => t.Hash == f.Hash))
                .Select(f => f.Path));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void AnAppThatCarriesItsOwnRuntimeIsRefusedForAnotherPlatformSayingHowToPublish()
    {
        var launch = new Contracts.Launch.WorkerLaunch("/app/App", ["clusterpool-worker"], "test", InsideApp: true);
        var build = new RemoteBuild(launch, "/app", dotnetHost: null);
        Assert.Null(build.Command(RemoteBuild.LocalRuntimeIdentifier == "linux-arm64" ? "linux-x64" : "linux-arm64",
            [], out var problem));
        Assert.Contains("publish it framework-dependent", problem);
        Assert.Equal(["@APP/App", "clusterpool-worker"], build.Command(RemoteBuild.LocalRuntimeIdentifier, [], out _));
    }
}
