using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ClusterPool.Contracts.Launch;
using ClusterPool.Contracts.Security;

namespace ClusterPool.Bench;

/// <summary>
/// Several "machines" on this box for the scale and soak suites, on one network as real machines are: a namespace of
/// its own holds a bridge (the switch); each machine is a network namespace plugged into it, and so is this box (the
/// coordinator's side), all on one subnet, so every node reaches every other as Akka.Cluster needs (its members watch
/// each other, not only the coordinator). Worker hosts start inside the machines as a user starts them on real ones
/// (<c>clusterpool-worker --join ... --cert ...</c>). Whoever makes the rig disposes it: every host it started is
/// killed and every namespace and link removed, even on failure. Needs root and iproute2.
/// </summary>
internal sealed class ClusterRig : IDisposable
{
    private readonly List<RigHost> _hosts = [];
    private readonly string _switch, _uplink;
    private readonly bool _uplinkMade;

    public ClusterRig(int machines)
    {
        var id = Random.Shared.Next(1000, 9999);
        var subnet = $"10.214.{id % 250}";
        _switch = $"cpsw{id}";
        _uplink = $"cpup{id}";
        CoordinatorHost = $"{subnet}.1";
        try
        {
            Ip($"netns add {_switch}");
            Ip($"-n {_switch} link add br0 type bridge");
            Ip($"-n {_switch} link set br0 up");
            Ip($"link add {_uplink} type veth peer name up0 netns {_switch}");
            _uplinkMade = true;
            Ip($"-n {_switch} link set up0 master br0 up");
            Ip($"addr add {CoordinatorHost}/24 dev {_uplink}");
            Ip($"link set {_uplink} up");
            for (var i = 0; i < machines; i++)
            {
                var machine = new RigMachine($"cpm{id}-{i}", $"{subnet}.{10 + i}", _switch, $"m{i}");
                Machines.Add(machine);
                Ip($"netns add {machine.Name}");
                Ip($"-n {machine.Name} link add eth0 type veth peer name {machine.Port} netns {_switch}");
                Ip($"-n {_switch} link set {machine.Port} master br0 up");
                Ip($"-n {machine.Name} addr add {machine.Address}/24 dev eth0");
                Ip($"-n {machine.Name} link set eth0 up");
                Ip($"-n {machine.Name} link set lo up");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the suite <paramref name="suite"/> on a rig of <paramref name="machines"/>, the way every rig suite runs:
    /// skipped (no figures) where the rig cannot be made; <paramref name="measure"/> gets the rig, a one-time cluster
    /// certificate and a temporary folder; when it fails, what the hosts said last is printed; the rig and the folder
    /// are removed whatever happens.
    /// </summary>
    public static IReadOnlyList<Figure> RunSuite(string suite, int machines, CancellationToken cancel,
        Func<ClusterRig, string, string, IReadOnlyList<Figure>> measure)
    {
        if (WhyNot() is { } why)
        {
            Console.Error.WriteLine($"bench: {suite} skipped ({why})");
            return [];
        }
        var folder = Directory.CreateTempSubdirectory($"clusterpool-bench-{suite}-").FullName;
        try
        {
            var certificate = ClusterCertificates.WriteNew(folder, suite, TimeSpan.FromDays(1), password: null);
            using var rig = new ClusterRig(machines);
            try { return measure(rig, certificate, folder); }
            catch (Exception) when (!cancel.IsCancellationRequested)
            {
                Console.Error.WriteLine($"bench: {suite}: failed; what the hosts said last:\n{rig.Said()}");
                throw;
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>
    /// A pool whose coordinator listens on the rig's switch over mutual TLS with <paramref name="certificate"/>, with
    /// whatever else <paramref name="more"/> sets.
    /// </summary>
    public Pool StartPool(string certificate, Action<PoolOptions>? more = null)
    {
        var options = new PoolOptions
        {
            ListenAddress = $"{CoordinatorHost}:{Workers.LoopbackPort.Free()}", Certificate = certificate,
        };
        more?.Invoke(options);
        return Pool.Start(options);
    }

    /// <summary>Why this machine cannot make the rig (not Linux, not root), or null.</summary>
    public static string? WhyNot() =>
        !OperatingSystem.IsLinux() ? "network namespaces need Linux" : Environment.UserName != "root" ? "network namespaces need root" : null;

    public List<RigMachine> Machines { get; } = [];

    /// <summary>The address the coordinator listens on: this box's port on the rig's switch.</summary>
    public string CoordinatorHost { get; }

    /// <summary>Starts a worker host on machine <paramref name="machine"/> with these arguments after <c>--join</c>.</summary>
    public RigHost StartHost(int machine, string join, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = Machines[machine].Wrap(WorkerProcess.StartInfo(["--join", join, .. args]));
        start.RedirectStandardError = true;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var host = new RigHost(machine, Machines[machine].Address, Process.Start(start)!);
        lock (_hosts) _hosts.Add(host);
        return host;
    }

    /// <summary>The last lines each host said on stderr, for a failure's report.</summary>
    public string Said()
    {
        lock (_hosts)
            return string.Join("\n", _hosts.Select(h => $"host on machine {h.Machine} (pid {h.Process.Id}):\n  " + string.Join("\n  ", h.Said.TakeLast(8))));
    }

    public void Dispose()
    {
        lock (_hosts) foreach (var host in _hosts) host.Dispose();
        foreach (var machine in Machines) Ip($"netns del {machine.Name}", check: false);
        Ip($"netns del {_switch}", check: false);
        if (_uplinkMade) Ip($"link del {_uplink}", check: false);
    }

    private static void Ip(string args, bool check = true) => NetworkNamespace.Ip(args, check);
}

/// <summary>One machine of a <see cref="ClusterRig"/>: a network namespace plugged into the rig's switch.</summary>
/// <param name="Name">The namespace.</param>
/// <param name="Address">Its address on the rig's network.</param>
/// <param name="Switch">The switch's namespace.</param>
/// <param name="Port">Its cable's end on the switch.</param>
internal sealed record RigMachine(string Name, string Address, string Switch, string Port)
{
    /// <summary>The same program, started inside the machine.</summary>
    public ProcessStartInfo Wrap(ProcessStartInfo program)
    {
        var wrapped = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = program.RedirectStandardError, RedirectStandardOutput = program.RedirectStandardOutput };
        foreach (var arg in new[] { "netns", "exec", Name, program.FileName }.Concat(program.ArgumentList)) wrapped.ArgumentList.Add(arg);
        return wrapped;
    }

    /// <summary>Unplugs its cable at the switch: no packet passes either way, nothing is refused.</summary>
    public void Cut() => NetworkNamespace.Ip($"-n {Switch} link set {Port} down");

    /// <summary>Plugs it back in.</summary>
    public void Heal() => NetworkNamespace.Ip($"-n {Switch} link set {Port} up");
}

/// <summary>A worker host the rig started: its supervisor process (the actual host is its child), and what it said.</summary>
internal sealed class RigHost : IDisposable
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigTerm = 15;

    public RigHost(int machine, string address, Process process)
    {
        Machine = machine;
        Address = address;
        Process = process;
        // Drained, so a full pipe never blocks the host; kept, so a failure can quote it.
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) Said.Enqueue(line.Data); };
        process.BeginErrorReadLine();
    }

    public int Machine { get; }

    /// <summary>The machine's address, which the pool's statistics name the host by.</summary>
    public string Address { get; }

    public Process Process { get; }

    public ConcurrentQueue<string> Said { get; } = new();

    /// <summary>SIGTERM, as a machine being shut down sends: the host hands back its queued work and leaves.</summary>
    public void Terminate() => kill(Process.Id, SigTerm);

    /// <summary>SIGKILL of the host and its child at once, as a machine that dies.</summary>
    public void KillNow()
    {
        try { Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    /// <summary>Resident memory of the host and its child, in MiB.</summary>
    public double ResidentMiB() => ProcessStats.RssMiBOfTree(Process.Id);

    public void Dispose()
    {
        KillNow();
        Process.WaitForExit(5000);
        Process.Dispose();
    }
}
