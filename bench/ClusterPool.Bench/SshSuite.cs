using System.Diagnostics;
using ClusterPool.Contracts.Security;

namespace ClusterPool.Bench;

/// <summary>
/// Issue 24: how long a pool takes to start its own workers on other machines over SSH (<see cref="PoolOptions.Hosts"/>),
/// and what it ships. Eight <see cref="SshMachine"/>s (network namespaces, each running Debian's sshd, each with an
/// empty home and cache of its own), made and removed by the suite; this process is the coordinator, with the eight as
/// its hosts (one slot each) and no local worker. Each run is timed from <see cref="Pool.Start"/> to every slot ready
/// (<see cref="Pool.WaitUntilReady"/>), and checked with a Map on them.
/// <list type="bullet">
/// <item>a first run: the app's build output shipped into each machine's empty cache (target ≤ 10 s);</item>
/// <item>a second run on the same machines, a new pool: nothing shipped (target ≤ 1 s with 0 bytes); and the same with
/// one host, and the parts of it apart (one SSH session's handshake; a cluster-mode pool's own start), to tell where a
/// second run's time goes;</item>
/// <item>one changed file: a new file the size of this assembly in the app's folder (the cache is by content, so a
/// rebuilt assembly is just that: a file the host lacks), then a third pool ships that file only;</item>
/// <item>eight machines without .NET: the first run ships this machine's runtime too, and a second one nothing.</item>
/// </list>
/// Python has no side: multiprocessing.Pool starts no process on another machine (see the runner's note).
/// </summary>
internal static class SshSuite
{
    /// <summary>The machines of the suite.</summary>
    public const int Machines = 8;

    /// <summary>The file that stands for a changed assembly, in the app's folder while the suite runs.</summary>
    private const string ChangedFile = "clusterpool-bench-ssh-changed.bin";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    /// <summary>Runs the suite; no figure where this box cannot make SSH machines (it says why).</summary>
    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        if ((ClusterRig.WhyNot() ?? SshMachine.MissingOpenSsh()) is { } why)
        {
            Console.Error.WriteLine($"bench: ssh skipped ({why})");
            return [];
        }
        using var keys = new SshTestKeys();
        var figures = new List<Figure>();
        OnMachines(keys, new SshMachineOptions(), machines =>
        {
            figures.AddRange(Figures("ssh_first_run", TimedStart(keys, machines, cancel)));
            figures.AddRange(Figures("ssh_second_run", TimedStart(keys, machines, cancel)));
            figures.AddRange(Figures("ssh_second_run_1_host", TimedStart(keys, machines[..1], cancel)));
            figures.AddRange(Profile(machines, cancel));
            figures.AddRange(Figures("ssh_one_file_changed", WithChangedFile(() => TimedStart(keys, machines, cancel))));
        });
        OnMachines(keys, new SshMachineOptions { WithoutDotnet = true }, machines =>
        {
            figures.AddRange(Figures("ssh_first_run_no_dotnet", TimedStart(keys, machines, cancel)));
            figures.AddRange(Figures("ssh_second_run_no_dotnet", TimedStart(keys, machines, cancel)));
        });
        return figures;
    }

    /// <summary>What one pool's start took and shipped.</summary>
    /// <param name="HostsStarted">Seconds until <see cref="Pool.Start"/> returned: every host's worker host started
    /// (its sessions done, the app shipped where it lacked).</param>
    /// <param name="AllReady">Seconds until every slot registered: the worker hosts started and joined.</param>
    /// <param name="Bytes">Bytes shipped, all hosts together.</param>
    /// <param name="Files">Files shipped, all hosts together.</param>
    private sealed record Start(double HostsStarted, double AllReady, long Bytes, int Files);

    private static IEnumerable<Figure> Figures(string @case, Start start) =>
    [
        new(@case, "all_ready", Math.Round(start.AllReady, 3), "s"),
        new(@case, "hosts_started", Math.Round(start.HostsStarted, 3), "s"),
        // After Pool.Start: the worker hosts' own start (a .NET process each), their joining and registering.
        new(@case, "workers_joined_after", Math.Round(start.AllReady - start.HostsStarted, 3), "s"),
        new(@case, "shipped_bytes", start.Bytes, "B"),
        new(@case, "shipped_files", start.Files, "files"),
    ];

    /// <summary>
    /// Makes the machines (each trusted: its key in the run's known_hosts), runs <paramref name="measure"/> on them,
    /// and removes them whatever happens, every one: a machine that cannot be removed is reported, not thrown over the
    /// measurement's own failure.
    /// </summary>
    private static void OnMachines(SshTestKeys keys, SshMachineOptions options, Action<SshMachine[]> measure)
    {
        var machines = new List<SshMachine>();
        try
        {
            for (var i = 0; i < Machines; i++)
            {
                machines.Add(keys.TrustedMachine(options));
            }
            measure([.. machines]);
        }
        finally
        {
            foreach (var machine in machines)
            {
                try { machine.Dispose(); }
                catch (Exception e) { Console.Error.WriteLine($"bench: ssh: machine {machine.Name}: {e.Message}"); }
            }
        }
    }

    /// <summary>
    /// Starts a pool on <paramref name="machines"/> (one slot each, no local worker), times it until every slot is
    /// ready, runs a Map on them to check they work, and stops it; returns once only sshd is left on each machine, so
    /// the next start has the machines to itself.
    /// </summary>
    private static Start TimedStart(SshTestKeys keys, IReadOnlyList<SshMachine> machines, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        var options = new PoolOptions
        {
            Hosts = [.. machines.Select(m => $"{m.UserAtHost} slots=1")],
            // This box reaches each machine from an address of its own; every machine reaches all of them.
            ListenAddress = $"{machines[0].HostAddress}:{Workers.LoopbackPort.Free()}",
            LocalWorkers = 0,
            RequireAllHosts = true,
            Ssh = new SshOptions { IdentityFile = keys.IdentityFile, KnownHostsFile = keys.KnownHostsFile },
        };
        Start start;
        var clock = Stopwatch.StartNew();
        using (var pool = Pool.Start(options))
        {
            var hostsStarted = clock.Elapsed.TotalSeconds;
            using var stop = cancel.Register(pool.Terminate);
            while (!pool.WaitUntilReady(TimeSpan.FromMilliseconds(100)))
            {
                cancel.ThrowIfCancellationRequested();
                if (clock.Elapsed > Patience) throw new TimeoutException(
                    $"only {pool.Slots} of {machines.Count} slots registered within {Patience.TotalSeconds:0} s");
            }
            var ready = clock.Elapsed.TotalSeconds;
            var results = pool.Map(Workloads.Square, TinyTasks.Items(1000), chunksize: 10);
            BenchPool.Verify(results.Sum() == TinyTasks.Items(1000).Sum(x => x * x), "a Map on the hosts");
            var hosts = pool.RemoteHosts;
            start = new Start(hostsStarted, ready, hosts.Sum(h => h.ShippedBytes), hosts.Sum(h => h.ShippedFiles));
            Console.Error.WriteLine($"bench: ssh: {machines.Count} hosts ready in {ready:0.000} s " +
                $"(Pool.Start {hostsStarted:0.000} s), shipped {start.Files} files, {start.Bytes:N0} bytes");
        }
        foreach (var machine in machines)
        {
            var left = Stopwatch.StartNew();
            while (!machine.ProcessesInside().SequenceEqual([machine.SshdPid]))
            {
                if (left.Elapsed > TimeSpan.FromSeconds(10)) throw new InvalidOperationException(
                    $"the pool stopped, and {machine.Name} still runs {string.Join(", ", machine.ProcessesInside())}");
                Thread.Sleep(10);
            }
        }
        return start;
    }

    /// <summary>
    /// The parts of a second run's time: one SSH session's handshake (<c>ssh HOST true</c>, the median of one per
    /// machine, one after another), and a cluster-mode pool's own start without hosts (its actor system and cluster).
    /// What a host's start takes besides is its protocol (a few lines, one <c>dotnet --list-runtimes</c>), and then
    /// the worker host's own start and join: <c>all_ready</c> less <c>hosts_started</c>.
    /// </summary>
    private static IEnumerable<Figure> Profile(IReadOnlyList<SshMachine> machines, CancellationToken cancel)
    {
        var sessions = new List<double>();
        foreach (var machine in machines)
        {
            cancel.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var result = machine.Run("true");
            sessions.Add(clock.Elapsed.TotalSeconds);
            if (result.ExitCode != 0) throw new InvalidOperationException($"ssh {machine.UserAtHost} true: {result}");
        }
        // Over TLS, as a pool with hosts is (with a certificate of its own, made for the run).
        var folder = Directory.CreateTempSubdirectory("clusterpool-bench-ssh-").FullName;
        try
        {
            var certificate = ClusterCertificates.WriteNew(folder, "ssh", TimeSpan.FromDays(1), password: null);
            var coordinator = Stopwatch.StartNew();
            using (Pool.Start(new PoolOptions
            {
                ListenAddress = $"{machines[0].HostAddress}:{Workers.LoopbackPort.Free()}", LocalWorkers = 0,
                Certificate = certificate,
            }))
            {
                yield return new("ssh_profile", "coordinator_start", Math.Round(coordinator.Elapsed.TotalSeconds, 3),
                    "s");
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
        yield return new("ssh_profile", "ssh_session", Math.Round(sessions.Order().ElementAt(sessions.Count / 2), 3),
            "s");
    }

    /// <summary>
    /// Runs <paramref name="run"/> with one new file in the app's folder (what the pool ships: this process's
    /// <see cref="AppContext.BaseDirectory"/>), of random content and the size of this assembly, as a rebuilt
    /// assembly would be; removes it afterwards.
    /// </summary>
    private static Start WithChangedFile(Func<Start> run)
    {
        var file = Path.Combine(AppContext.BaseDirectory, ChangedFile);
        var content = new byte[new FileInfo(typeof(SshSuite).Assembly.Location).Length];
        Random.Shared.NextBytes(content);
        File.WriteAllBytes(file, content);
        try { return run(); }
        finally { File.Delete(file); }
    }
}
