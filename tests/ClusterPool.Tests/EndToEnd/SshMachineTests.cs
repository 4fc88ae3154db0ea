using System.Diagnostics;
using System.Text.RegularExpressions;
using ClusterPool.Bench;
using Xunit;
using Xunit.Abstractions;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// The SSH machines the tests and the bench of starting workers over SSH use (<see cref="SshMachine"/>): that each is
/// a machine of its own to ssh (its address, hostname, cache, and .NET or none), that it refuses a client when its host
/// key changes, and that nothing of it stays after it is disposed, also when it failed to start.
/// </summary>
public class SshMachineTests(ITestOutputHelper output)
{
    private const string Cache = SshMachine.CacheFolder;

    [SshdFact]
    public void TwoMachinesAnswerOverSshEachAsItselfFromItsOwnAddress()
    {
        using var keys = new SshTestKeys();
        using var first = new SshMachine(keys);
        using var second = new SshMachine(keys);
        keys.Trust(first);
        keys.Trust(second);
        Assert.NotEqual(first.Address, second.Address);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            new DirectoryInfo(keys.Folder).UnixFileMode);
        // OpenSSH's format for port 22: the address, then the key.
        Assert.Equal($"{first.Address} {first.HostKeyLine}\n{second.Address} {second.HostKeyLine}\n",
            File.ReadAllText(keys.KnownHostsFile));
        foreach (var machine in new[] { first, second })
        {
            var answer = Succeeded(machine.Run("echo hi; cat /proc/sys/kernel/hostname; echo $SSH_CONNECTION"));
            var lines = answer.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("hi", lines[0]);
            Assert.Equal(machine.Name, lines[1]);
            // SSH_CONNECTION: the client's address and port, the server's address and port.
            var connection = lines[2].Split(' ');
            Assert.Equal(new[] { machine.HostAddress, machine.Address, "22" },
                new[] { connection[0], connection[2], connection[3] });
            Assert.Equal($"root@{machine.Address}", machine.UserAtHost);
        }
    }

    [SshdFact]
    public void AMachineWithoutDotnetLacksItAndEveryMachineHasAnEmptyCacheOfItsOwn()
    {
        using var keys = new SshTestKeys();
        using var normal = new SshMachine(keys);
        using var bare = new SshMachine(keys, new SshMachineOptions { WithoutDotnet = true });
        keys.Trust(normal);
        keys.Trust(bare);

        foreach (var machine in new[] { normal, bare })
            Assert.Equal("", Succeeded(machine.Run($"ls -A {Cache}")).Output);

        var runtimes = Succeeded(normal.Run("dotnet --list-runtimes"));
        Assert.Contains("Microsoft.NETCore.App", runtimes.Output);
        var none = bare.Run("dotnet --list-runtimes");
        Assert.True(none.ExitCode is not 0 and not 255, $"dotnet ran on a machine without .NET: {none}");
        Assert.Equal("", Succeeded(bare.Run("ls -A /usr/share/dotnet")).Output);

        // What one machine caches, another does not see, nor does this box.
        var marker = $"marker-{Guid.NewGuid():N}";
        Succeeded(normal.Run($"echo cached > {Cache}/{marker}"));
        Assert.Equal("cached\n", Succeeded(normal.Run($"cat {Cache}/{marker}")).Output);
        Assert.Equal("", Succeeded(bare.Run($"ls -A {Cache}")).Output);
        Assert.False(File.Exists(Path.Combine(Cache, marker)), "the machine's cache is this box's folder");
    }

    [SshdFact]
    public void AClientRefusesAMachineItDoesNotTrustOrWhoseHostKeyChanged()
    {
        using var keys = new SshTestKeys();
        using var machine = new SshMachine(keys);
        var unknown = machine.Run("echo hi");
        Assert.Equal(255, unknown.ExitCode);
        Assert.Contains("Host key verification failed", unknown.Error);

        keys.Trust(machine);
        Succeeded(machine.Run($"echo kept > {Cache}/kept"));
        var old = machine.HostKeyLine;
        machine.ChangeHostKey();
        Assert.NotEqual(old, machine.HostKeyLine);
        var changed = machine.Run("echo hi");
        Assert.Equal(255, changed.ExitCode);
        Assert.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", changed.Error);
        Assert.Equal("", changed.Output);

        // A restart, not a new machine: the same sshd, cache and hostname, for a client that trusts the new key.
        keys.Trust(machine);
        Assert.Equal($"kept\n{machine.Name}\n", Succeeded(machine.Run($"cat {Cache}/kept; hostname")).Output);
        Assert.Contains(machine.SshdPid, machine.ProcessesInside());
    }

    [SshdFact]
    public void ACutMachineDoesNotAnswerUntilHealed()
    {
        using var keys = new SshTestKeys();
        using var machine = new SshMachine(keys);
        machine.Cut();
        Assert.False(machine.Greets(TimeSpan.FromSeconds(1)), "a cut machine answered");
        machine.Heal();
        Assert.True(machine.Greets(TimeSpan.FromSeconds(5)), "a healed machine did not answer");
    }

    [SshdTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void DisposeLeavesNoNamespaceProcessMountOrFile(bool withoutDotnet)
    {
        using var keys = new SshTestKeys();
        var clock = Stopwatch.StartNew();
        var machine = new SshMachine(keys, new SshMachineOptions { WithoutDotnet = withoutDotnet });
        output.WriteLine($"started {machine.Name} in {clock.ElapsedMilliseconds} ms");
        var (name, folder, sshd, hostAddress) = (machine.Name, machine.Folder, machine.SshdPid, machine.HostAddress);
        var sleeper = 0;
        try
        {
            keys.Trust(machine);
            Wait.For(machine.ProcessesInside, inside => inside.SequenceEqual([sshd]), TimeSpan.FromSeconds(5));
            // A process a session left running (as a worker host started over SSH): inside the machine, gone with it.
            var started = Succeeded(machine.Run("setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!"));
            sleeper = int.Parse(started.Output.Trim());
            Wait.For(machine.ProcessesInside, inside => inside.Order().SequenceEqual(new[] { sshd, sleeper }.Order()),
                TimeSpan.FromSeconds(5));
            // The machine's mounts are in its processes' mount namespace, never in this box's.
            var mounts = withoutDotnet ? 2 : 1;
            Assert.Equal(mounts, MachineMounts(name, sshd).Count);
            Assert.Equal(MachineMounts(name, sshd), MachineMounts(name, sleeper));
            Assert.Empty(MachineMounts(name, Environment.ProcessId));
        }
        finally
        {
            clock.Restart();
            machine.Dispose();
            output.WriteLine($"stopped {name} in {clock.ElapsedMilliseconds} ms");
        }
        Assert.DoesNotContain(name, Namespaces());
        Assert.False(Processes.IsRunning(sshd), $"sshd {sshd} still runs");
        Assert.False(Processes.IsRunning(sleeper), $"the session's process {sleeper} still runs");
        Assert.Empty(ProcessesMentioning(folder));
        Assert.Empty(MountsAnywhere(name));
        Assert.False(Directory.Exists(folder), $"{folder} is left");
        Assert.DoesNotContain($" {hostAddress}/", Programs.Check("ip", ["-4", "-o", "addr", "show"]).Output);
    }

    [SshdFact]
    public void AMachineWhoseSshdCannotStartLeavesNothing()
    {
        using var keys = new SshTestKeys();
        var broken = new SshMachineOptions { ExtraConfig = ["NoSuchOption yes"] };
        var failure = Assert.Throws<InvalidOperationException>(() =>
        {
            using var machine = new SshMachine(keys, broken);
        });
        Assert.Contains("Bad configuration option", failure.Message);     // sshd's own words
        var name = Regex.Match(failure.Message, @"cptest\d+").Value;
        Assert.NotEqual("", name);
        Assert.DoesNotContain(name, Namespaces());
        var folder = Path.Combine(Path.GetTempPath(), $"clusterpool-sshd-{name}");
        Assert.Empty(ProcessesMentioning(folder));
        Assert.Empty(MountsAnywhere(name));
        Assert.False(Directory.Exists(folder), $"{folder} is left");
    }

    private static ProgramResult Succeeded(ProgramResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>The network namespaces on this box, by name.</summary>
    private static List<string> Namespaces() =>
        [.. Programs.Check("ip", ["netns", "list"]).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0])];

    /// <summary>The tmpfs mounts a machine made (their sources name it) as <paramref name="pid"/> sees them.</summary>
    private static List<string> MachineMounts(string machine, int pid) =>
        [.. File.ReadLines($"/proc/{pid}/mountinfo").Where(line => line.Contains($" - tmpfs {machine}-"))
            .Select(line => line.Split(' ')[4])];

    /// <summary>A machine's tmpfs mounts in any process's mount namespace on this box ("pid: mount point").</summary>
    private static List<string> MountsAnywhere(string machine)
    {
        var found = new List<string>();
        foreach (var pid in LivePids())
        {
            try { found.AddRange(MachineMounts(machine, pid).Select(mount => $"{pid}: {mount}")); }
            catch (IOException) { }     // ended meanwhile
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>Processes whose command line names <paramref name="text"/> ("pid: command line").</summary>
    private static List<string> ProcessesMentioning(string text)
    {
        var found = new List<string>();
        foreach (var pid in LivePids())
        {
            try
            {
                var command = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
                if (command.Contains(text)) found.Add($"{pid}: {command}");
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    private static IEnumerable<int> LivePids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName)
            .Select(entry => int.TryParse(entry, out var pid) ? pid : 0).Where(pid => pid > 0);
}
