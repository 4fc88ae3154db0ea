using ClusterPool.Bench;
using Xunit;
using Xunit.Abstractions;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// A pool starts its own workers on other machines over SSH (issue 24): each "machine" a network namespace running
/// Debian's sshd with a key pair the test made, an empty cache of its own, and maybe no .NET at all.
/// </summary>
public class SshHostsTests(ITestOutputHelper output)
{
    /// <summary>
    /// The pool's options for <paramref name="machines"/>. This box reaches each machine from an address of its own
    /// (one veth pair each), so the pool is told which one to listen on, as a machine with several networks must be;
    /// each machine reaches every address of this box.
    /// </summary>
    private static PoolOptions Options(SshTestKeys keys, IReadOnlyList<SshMachine> machines,
        IEnumerable<string>? hosts = null, string? config = null) => new()
    {
        Hosts = [.. hosts ?? machines.Select(m => m.UserAtHost)],
        ListenAddress = $"{machines[0].HostAddress}:{Workers.LoopbackPort.Free()}",
        LocalWorkers = 0,
        Ssh = new SshOptions { IdentityFile = keys.IdentityFile, KnownHostsFile = keys.KnownHostsFile },
        Config = config,
        HandleInterrupts = false,
    };

    /// <summary>The tool's SSH settings, as a user gives them: HOCON in <c>CLUSTERPOOL_CONFIG</c>.</summary>
    private static string[] ToolEnvironment(SshTestKeys keys) =>
        ["env", "CLUSTERPOOL_CONFIG=clusterpool.ssh { " +
            $"identity-file = \"{keys.IdentityFile}\", known-hosts = \"{keys.KnownHostsFile}\" }}"];

    private static void AssertOnlySshdLeft(IEnumerable<SshMachine> machines)
    {
        foreach (var machine in machines)
            Wait.For(() => machine.ProcessesInside().SequenceEqual([machine.SshdPid]), TimeSpan.FromSeconds(10),
                $"only sshd left on {machine.Address} (now: {string.Join(", ", machine.ProcessesInside())})");
    }

    [SshdFact]
    public void AMapOverFourHostsGivesEveryResultOnceAndASecondPoolShipsNothing()
    {
        using var keys = new SshTestKeys();
        var machines = new List<SshMachine>();
        try
        {
            for (var i = 0; i < 4; i++) machines.Add(keys.TrustedMachine());
            var hosts = machines.Select(m => $"{m.UserAtHost} slots=2").ToList();
            using (var pool = Pool.Start(Options(keys, machines, hosts)))
            {
                Assert.All(pool.RemoteHosts, h => Assert.Equal(RemoteHostState.Running, h.State));
                Assert.All(pool.RemoteHosts, h => Assert.True(h.ShippedBytes > 0, $"{h.Host} got nothing shipped"));
                Assert.True(pool.WaitUntilReady(TimeSpan.FromSeconds(60)), "the 8 slots of 4 hosts never registered");
                var results = pool.Map(HostFunctions.WhereSlowly, Enumerable.Range(0, 400), chunksize: 4);
                Assert.Equal(Enumerable.Range(0, 400), results.Select(r => r.Item));
                Assert.Equal(machines.Select(m => m.Address).Order(), results.Select(r => r.Machine).Distinct().Order());
                var folders = pool.Apply<(string App, string Runtime)>(HostFunctions.Folders, 0);
                Assert.Contains("/.cache/clusterpool/app/", folders.App);
                // A host's worker gets the gen0 budget a local worker gets (its collections cost more than the app's).
                Assert.Equal(RuntimeProbe.WorkersBudget, pool.Apply(RuntimeProbe.Gen0Budget, 0));
                Assert.InRange(pool.Apply(RuntimeProbe.Gen0CollectionsFor256MiB, 0), 0,
                    RuntimeProbe.MostCollectionsFor256MiB);
                output.WriteLine($"first pool: {string.Join(", ", pool.RemoteHosts)}");
            }
            AssertOnlySshdLeft(machines);

            using (var again = Pool.Start(Options(keys, machines, hosts)))
            {
                Assert.All(again.RemoteHosts, h => Assert.Equal((RemoteHostState.Running, 0L, 0),
                    (h.State, h.ShippedBytes, h.ShippedFiles)));
                Assert.Equal(400, again.Map(HostFunctions.Where, Enumerable.Range(0, 400)).Count);
            }
            AssertOnlySshdLeft(machines);
        }
        finally { foreach (var machine in machines) machine.Dispose(); }
    }

    [SshdFact]
    public void AHostWithoutDotnetGetsThisMachinesRuntimeAndRunsOnIt()
    {
        using var keys = new SshTestKeys();
        using var machine = keys.TrustedMachine(new SshMachineOptions { WithoutDotnet = true });
        Assert.NotEqual(0, machine.Run("dotnet --list-runtimes").ExitCode);
        using (var pool = Pool.Start(Options(keys, [machine], [machine.UserAtHost + " slots=1"])))
        {
            var host = Assert.Single(pool.RemoteHosts);
            Assert.True(host.ShippedBytes > 50_000_000, $"only {host.ShippedBytes} bytes shipped: no runtime?");
            var folders = pool.Apply<(string App, string Runtime)>(HostFunctions.Folders, 0);
            Assert.Contains("/.cache/clusterpool/runtime/", folders.Runtime);
            Assert.Equal([1, 4, 9], pool.Map(TestFunctions.Square, [1, 2, 3]));
        }
        AssertOnlySshdLeft([machine]);
    }

    [SshdFact]
    public void ChangedAndUnknownHostKeysAreRefusedWithTheirFingerprintAndTheOtherHostsRun()
    {
        using var keys = new SshTestKeys();
        using var good = keys.TrustedMachine();
        using var changed = keys.TrustedMachine();
        using var unknown = new SshMachine(keys);
        changed.ChangeHostKey();
        SshMachine[] machines = [good, changed, unknown];
        using (var pool = Pool.Start(Options(keys, machines)))
        {
            var states = pool.RemoteHosts.ToDictionary(h => h.Host);
            Assert.Equal(RemoteHostState.Running, states[good.UserAtHost].State);
            var refused = states[changed.UserAtHost];
            Assert.Equal(RemoteHostState.Failed, refused.State);
            Assert.Contains("CHANGED", refused.Failure);
            Assert.Matches("SHA256:[A-Za-z0-9+/]{43}", refused.Failure);
            var stranger = states[unknown.UserAtHost];
            Assert.Equal(RemoteHostState.Failed, stranger.State);
            Assert.Contains("not in " + keys.KnownHostsFile, stranger.Failure);
            Assert.Matches("ED25519 SHA256:[A-Za-z0-9+/]{43}", stranger.Failure);
            Assert.Equal([4], pool.Map(TestFunctions.Square, [2]));
        }
        var required = Options(keys, machines);
        required.RequireAllHosts = true;
        var error = Assert.Throws<RemoteHostException>(() => Pool.Start(required));
        Assert.Contains(changed.UserAtHost, error.Host);
        Assert.Contains(unknown.UserAtHost, error.Host);

        // OpenSSH's accept-new: the unknown host is trusted (and recorded); the changed one is still refused.
        var acceptNew = Options(keys, [unknown, changed]);
        acceptNew.Ssh.AcceptNewHostKeys = true;
        using (var pool = Pool.Start(acceptNew))
        {
            Assert.Equal([RemoteHostState.Running, RemoteHostState.Failed], pool.RemoteHosts.Select(h => h.State));
            // OpenSSH recorded it (Debian's ssh_config hashes the names: the line count tells)
            Assert.Equal(3, File.ReadAllLines(keys.KnownHostsFile).Count(l => l.Trim().Length > 0));
        }
        AssertOnlySshdLeft([good, changed, unknown]);
    }

    [SshdFact]
    public void AnUnreachableHostIsNamedAndTheOthersRun()
    {
        using var keys = new SshTestKeys();
        using var up = keys.TrustedMachine();
        using var down = keys.TrustedMachine();
        down.Cut();
        using var pool = Pool.Start(Options(keys, [up, down],
            config: "clusterpool.ssh.connect-timeout = 2s"));
        var failed = pool.RemoteHosts.Single(h => h.State == RemoteHostState.Failed);
        Assert.Equal(down.UserAtHost, failed.Host);
        Assert.Contains("unreachable", failed.Failure);
        Assert.Contains(down.UserAtHost, failed.Failure);
        Assert.Equal([9], pool.Map(TestFunctions.Square, [3]));
    }

    [SshdFact]
    public void AHostWhoseWorkerHostDiesMidRunIsStartedAgainAndItsWorkRunsOnce()
    {
        using var keys = new SshTestKeys();
        using var first = keys.TrustedMachine();
        using var second = keys.TrustedMachine();
        using (var pool = Pool.Start(Options(keys, [first, second], [first.UserAtHost + " slots=2",
            second.UserAtHost + " slots=2"])))
        {
            Assert.True(pool.WaitUntilReady(TimeSpan.FromSeconds(60)), "the 4 slots never registered");
            var call = pool.MapAsync(HostFunctions.WhereSlowly, Enumerable.Range(0, 300), chunksize: 1);
            Wait.For(() => call.Progress.Done > 20, TimeSpan.FromSeconds(30), "the Map under way");
            // The machine's worker host and its tasks' process die at once, as in a crash.
            // (by its processes: the namespaces share one process table, and a pkill there would kill every host's)
            foreach (var pid in first.ProcessesInside().Where(p => Processes.CommandLine(p).Contains(
                "clusterpool-worker"))) Processes.Kill(pid);
            var results = call.Get(TimeSpan.FromMinutes(2));
            Assert.Equal(Enumerable.Range(0, 300), results.Select(r => r.Item));
            Wait.For(() => pool.RemoteHosts[0] is { State: RemoteHostState.Running, Restarts: 1 },
                TimeSpan.FromSeconds(30), $"the host started again ({pool.RemoteHosts[0]})");
            Assert.Contains("ended", pool.RemoteHosts[0].Failure);
            // WaitUntilReady alone can return before the new host registers: the dead host's slots count until it is
            // downed (seen once in a full run: the next Map ran on the second machine only). Work reaches it in time.
            Assert.True(pool.WaitUntilReady(TimeSpan.FromSeconds(60)), "the restarted host never registered");
            Wait.For(() => pool.Map(HostFunctions.WhereSlowly, Enumerable.Range(0, 40), chunksize: 1)
                .Any(r => r.Machine == first.Address), TimeSpan.FromSeconds(60), "work on the restarted host");
        }
        AssertOnlySshdLeft([first, second]);
    }

    /// <summary>
    /// A host the pool starts over SSH is one .NET process on its machine (the pool starts it again, so it needs no
    /// supervisor of its own, whose .NET start each host paid); a host that retires (MaxTasksPerChild) is replaced at
    /// once, and that is no restart: with no restarts allowed the pool still runs every task on it. What its tasks
    /// started dies with it (the session's shell kills its process group).
    /// </summary>
    [SshdFact]
    public void AHostIsOneProcessAndOneThatRetiresIsReplacedWithoutARestart()
    {
        using var keys = new SshTestKeys();
        using var machine = keys.TrustedMachine();
        var options = Options(keys, [machine], config: "clusterpool.ssh.restarts = 0");
        options.MaxTasksPerChild = 2;
        using (var pool = Pool.Start(options))
        {
            Assert.True(pool.WaitUntilReady(TimeSpan.FromSeconds(60)), "the host never registered");
            var workers = machine.ProcessesInside().Where(p => Processes.CommandLine(p).Contains("clusterpool-worker"))
                .ToList();
            Assert.True(workers.Count == 1, $"one worker host process, not {string.Join(" / ",
                workers.Select(Processes.CommandLine))}");
            // Two tasks start sleepers of their own, and their worker host retires.
            var sleepers = pool.Map(SpawningFunctions.StartSleepers, [0, 1], chunksize: 1);
            Assert.Single(sleepers.Select(s => s.Worker).Distinct());
            // Bounded: a retired host whose tasks' processes lived on held its session open, and was never replaced.
            var pids = pool.MapAsync(TestFunctions.Pid, Enumerable.Range(0, 6), chunksize: 1)
                .Get(TimeSpan.FromSeconds(60));
            Assert.Equal(3, pids.Distinct().Count()); // two tasks each, then retired
            Assert.DoesNotContain(sleepers[0].Worker, pids);
            Wait.For(() => !machine.ProcessesInside().Any(p => Processes.CommandLine(p).StartsWith("sleep")),
                TimeSpan.FromSeconds(10), "the retired worker host's sleepers gone");
            Wait.For(() => pool.RemoteHosts[0].State == RemoteHostState.Running, TimeSpan.FromSeconds(30),
                $"the host running again ({pool.RemoteHosts[0]})");
            Assert.Equal(0, pool.RemoteHosts[0].Restarts);
        }
        AssertOnlySshdLeft([machine]);
    }

    [SshdFact]
    public void TheDemosHostsOptionsReachThePoolAndItsHostStopsWithIt()
    {
        using var keys = new SshTestKeys();
        using var machine = new SshMachine(keys);
        // Not trusted beforehand: --accept-new-host-keys records it. One machine: the pool finds the address it
        // reaches this box at by itself (no --listen). Its slots unquoted, as a user may forget the quotes.
        var (methods, stderr, pid) = DemoCommandTests.Run(
            ["--scale", "0.3", "--json", "--processes", "1", "--hosts", machine.UserAtHost, "slots=2",
                "--accept-new-host-keys"],
            TimeSpan.FromSeconds(180), wrapper: ToolEnvironment(keys));
        output.WriteLine(stderr);
        var ppids = methods.SelectMany(m => m.GetProperty("results").EnumerateArray()).Select(r => r[2].GetInt32())
            .ToHashSet();
        Assert.Contains(pid, ppids);                               // the local worker's rows
        Assert.True(ppids.Count > 1, "no row came from the host's worker host (every parent was the demo)");
        Assert.Single(File.ReadAllLines(keys.KnownHostsFile), l => l.Trim().Length > 0);
        AssertOnlySshdLeft([machine]);
    }

    [SshdFact]
    public void KillingTheCoordinatorWithSigkillLeavesNoProcessOnAnyHost()
    {
        using var keys = new SshTestKeys();
        using var first = keys.TrustedMachine();
        using var second = keys.TrustedMachine();
        // The tool's demo as the coordinator, with its hosts; SSH's settings through the environment's HOCON.
        using var demo = Processes.Drained(Binaries.Start(Binaries.ClusterPoolCli,
            ["demo", "--scale", "20", "--json", "--processes", "1", "--listen", $"{first.HostAddress}:{Workers.LoopbackPort.Free()}",
                "--hosts", first.UserAtHost, second.UserAtHost],
            wrapper: ToolEnvironment(keys)), output);
        var killed = new System.Diagnostics.Stopwatch();
        try
        {
            Wait.For(() => first.ProcessesInside().Count > 2 && second.ProcessesInside().Count > 2,
                TimeSpan.FromSeconds(60), "worker hosts on both machines");
            Thread.Sleep(2000); // they joined and run the demo's tasks
            killed.Start();
            demo.Kill(); // SIGKILL: no handler of the demo's runs
            demo.WaitForExit(5000);
        }
        finally { Processes.KillTree(demo); }
        AssertOnlySshdLeft([first, second]);
        output.WriteLine($"the hosts were empty {killed.Elapsed.TotalSeconds:F2} s after the kill");
    }
}
