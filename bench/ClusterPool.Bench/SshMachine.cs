using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace ClusterPool.Bench;

/// <summary>
/// A machine to reach over SSH, for the tests and the bench of starting workers on other machines: a network namespace
/// of its own (<see cref="NetworkNamespace"/>) where Debian's sshd listens on the namespace's address, port 22, and
/// lets root in with the key of the run's <see cref="SshTestKeys"/>.
/// <para>
/// Its sshd also runs in a mount namespace of its own (<c>ip netns exec</c> makes one for every command it runs, with
/// mounts that do not propagate back) that holds a fresh tmpfs over root's home folder, with an empty per-user cache
/// folder in it (<see cref="CacheFolder"/>): each machine starts with a home of its own, as a fresh server has (no
/// shell start-up files of this box's, which cost half a second per SSH command here), and what it caches is seen by
/// no other machine and never lands on this box's disk. With <see cref="SshMachineOptions.WithoutDotnet"/>
/// this box's .NET is hidden as well. And in a UTS namespace of its own, so that its hostname is its
/// <see cref="Name"/>. Every session, and everything started over SSH, lives in those namespaces; a command run with
/// <c>ip netns exec</c> directly gets a mount namespace of its own and so does not see the machine's mounts: go
/// through <see cref="Run"/> (ssh) to see the machine as its users do.
/// </para>
/// <para>
/// Whoever makes it disposes it: every process inside is killed, and the namespaces with their mounts (a mount
/// namespace ends with its last process), the link and the files go, also when the constructor fails. Needs root,
/// iproute2, util-linux and openssh-server (see SshdFact in the tests).
/// </para>
/// </summary>
internal sealed class SshMachine : IDisposable
{
    /// <summary>Debian's OpenSSH server (package openssh-server).</summary>
    public const string Sshd = "/usr/sbin/sshd";

    /// <summary>The per-user cache folder, which every machine has empty and of its own.</summary>
    public const string CacheFolder = "/root/.cache/clusterpool";

    /// <summary>sshd's privilege separation folder (Debian's build chroots its unprivileged child there).</summary>
    private const string PrivilegeSeparationFolder = "/run/sshd";

    /// <summary>Where this box's .NET lives (/usr/bin/dotnet is a link into it).</summary>
    private const string DotnetFolder = "/usr/share/dotnet";

    /// <summary>Where dotnet-install puts .NET by default (and dotnet its sentinels and global tools).</summary>
    private const string HomeFolder = "/root";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OthersRead = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const int SigKill = 9, SigHup = 1;
    private const int SaidLines = 200;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly NetworkNamespace _network;
    private readonly SshTestKeys _keys;
    private readonly SshMachineOptions _options;
    private readonly ConcurrentQueue<string> _said = new();
    private readonly Process? _sshd;
    private bool _disposed;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>
    /// Why this box lacks OpenSSH for machines (Debian's openssh-server, and the client's ssh and ssh-keygen), or null;
    /// the namespaces need root and iproute2 besides.
    /// </summary>
    public static string? MissingOpenSsh() =>
        !File.Exists(Sshd) ? $"OpenSSH's server ({Sshd}: openssh-server) is not installed"
        : !File.Exists("/usr/bin/ssh") || !File.Exists("/usr/bin/ssh-keygen")
            ? "OpenSSH's client (ssh, ssh-keygen: openssh-client) is not installed"
            : null;

    /// <summary>
    /// Makes the machine and returns once its sshd accepts connections; throws with what sshd said when it does not
    /// within 10 s. Trust it (<see cref="SshTestKeys.Trust"/>) before connecting with strict host key checking.
    /// </summary>
    public SshMachine(SshTestKeys keys, SshMachineOptions? options = null)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("SSH machines are Linux namespaces");
        _keys = keys;
        _options = options ?? new SshMachineOptions();
        _network = new NetworkNamespace();
        try
        {
            // The namespace's name is unique on this box while it exists, so the folder named after it is this
            // machine's (a folder left by a run that was killed is an old one: replaced).
            Folder = Path.Combine(Path.GetTempPath(), $"clusterpool-sshd-{Name}");
            if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
            Directory.CreateDirectory(Folder, OwnerOnly);
            HostKeyLine = MakeHostKey();
            File.WriteAllLines(ConfigFile, Config());
            // sshd refuses to start without its privilege separation folder (root's, not writable by others).
            Directory.CreateDirectory(PrivilegeSeparationFolder, OthersRead);
            _sshd = StartSshd();
            SshdPid = _sshd.Id;
            WaitUntilListening("start");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The network namespace's name (<c>cptestNNNN</c>), which is also the machine's hostname.</summary>
    public string Name => _network.Name;

    /// <summary>The machine's address, where its sshd listens.</summary>
    public string Address => _network.Address;

    /// <summary>The port its sshd listens on.</summary>
    public int Port => 22;

    /// <summary>Whom to connect as: <c>root@ADDRESS</c>.</summary>
    public string UserAtHost => $"root@{Address}";

    /// <summary>This box's address as the machine sees it (our end of the link): where a coordinator listens.</summary>
    public string HostAddress => _network.HostAddress;

    /// <summary>Its current host public key, <c>ssh-ed25519 AAAA...</c> (no comment), as known_hosts has it.</summary>
    public string HostKeyLine { get; private set; } = "";

    /// <summary>The process id of sshd's listener (it stays the same across <see cref="ChangeHostKey"/>).</summary>
    public int SshdPid { get; }

    /// <summary>The machine's own folder on this box: sshd's configuration, host key and pid file.</summary>
    public string Folder { get; } = "";

    /// <summary>sshd's configuration (nothing else: not /etc/ssh/sshd_config).</summary>
    public string ConfigFile => Path.Combine(Folder, "sshd_config");

    private string HostKeyFile => Path.Combine(Folder, "ssh_host_ed25519_key");

    private string PidFile => Path.Combine(Folder, "sshd.pid");

    /// <summary>
    /// Cuts the machine's link (<see cref="NetworkNamespace.Cut"/>): no packet reaches it, nor leaves it for this box,
    /// until <see cref="Heal"/>.
    /// </summary>
    public void Cut() => _network.Cut();

    /// <summary>Restores the link.</summary>
    public void Heal() => _network.Heal();

    /// <summary>
    /// Gives the machine a new host key, as a reinstalled machine (or an attacker in its place) would have: sshd
    /// restarts with it on the same address (SIGHUP, which makes sshd execute itself again, in the same process and
    /// namespaces, so sessions, processes and the cache survive), and a client that trusted the old key now refuses
    /// the machine ("REMOTE HOST IDENTIFICATION HAS CHANGED") until it trusts the new one.
    /// </summary>
    public void ChangeHostKey()
    {
        // sshd writes its pid file once it listens again: gone until then, it says when the restart is done.
        File.Delete(PidFile);
        File.Delete(HostKeyFile);
        File.Delete(HostKeyFile + ".pub");
        HostKeyLine = MakeHostKey();
        if (kill(SshdPid, SigHup) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException($"could not signal sshd {SshdPid}: errno {errno}");
        }
        WaitUntilListening("restart");
    }

    /// <summary>
    /// The ids of every process in the machine (<c>ip netns pids</c>): sshd's listener, and each session and what it
    /// started while they run. Right after a connection ends its session's processes may take a moment to go.
    /// </summary>
    public IReadOnlyList<int> ProcessesInside()
    {
        var listed = Programs.Check("ip", ["netns", "pids", Name]).Output;
        return [.. listed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(int.Parse).Order()];
    }

    /// <summary>
    /// Runs <paramref name="command"/> on the machine over ssh, as root, with the run's keys and strict host key
    /// checking (<see cref="SshTestKeys.ClientOptions"/>), and returns how ssh ended (255: ssh itself failed). For
    /// the tests' own checks; a command that leaves a process running must redirect its output, or ssh waits for it.
    /// </summary>
    public ProgramResult Run(string command, TimeSpan? timeout = null) =>
        Programs.Run("ssh", [.. _keys.ClientOptions, "-p", $"{Port}", UserAtHost, command], timeout);

    /// <summary>
    /// Whether sshd greets a new connection (<c>SSH-2.0-</c>) within <paramref name="within"/>: it listens, and the
    /// link carries. An accepted TCP connection alone says less: where this box's default gateway accepts any
    /// connection (as a transparent proxy does; this sandbox's does), one to a cut machine's address is accepted too.
    /// </summary>
    public bool Greets(TimeSpan within)
    {
        using var client = new TcpClient();
        using var limit = new CancellationTokenSource(within);
        try
        {
            client.ConnectAsync(Address, Port, limit.Token).AsTask().GetAwaiter().GetResult();
            var greeting = new byte[8];
            client.GetStream().ReadExactlyAsync(greeting, limit.Token).AsTask().GetAwaiter().GetResult();
            return Encoding.ASCII.GetString(greeting) == "SSH-2.0-";
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The last lines sshd wrote (it logs to stderr): for a failure's message.</summary>
    public string Said() => string.Join("\n", _said);

    /// <summary>
    /// Kills every process in the machine (SIGKILL: a machine switched off), waits until they are gone, and removes the
    /// namespaces (the mounts end with the mount namespace's last process), the link and the machine's folder.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var survivors = KillEverythingInside();
        if (_sshd is not null)
        {
            _sshd.WaitForExit(5000);
            _sshd.Dispose();
        }
        _network.Dispose();
        try { Directory.Delete(Folder, recursive: true); }
        catch (DirectoryNotFoundException) { }
        if (survivors.Count > 0)
        {
            var pids = string.Join(", ", survivors);
            throw new InvalidOperationException($"processes [{pids}] in {Name} outlived SIGKILL");
        }
    }

    /// <summary>Makes a new host key pair in the machine's folder and returns its public key (type and key).</summary>
    private string MakeHostKey()
    {
        Programs.Check("ssh-keygen", ["-t", "ed25519", "-N", "", "-f", HostKeyFile, "-q", "-C", ""]);
        var parts = File.ReadAllText(HostKeyFile + ".pub").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return $"{parts[0]} {parts[1]}";
    }

    /// <summary>
    /// The machine's sshd_config: key-only root login from the run's keys, on the namespace's address only, files in
    /// the machine's folder, and no PAM (nothing of this box's login setup: no session records, no password rules).
    /// </summary>
    private IEnumerable<string> Config() =>
    [
        $"# One test machine of ClusterPool.Bench's SshMachine ({Name}); sshd reads no other configuration.",
        "Port 22",
        $"ListenAddress {Address}",
        "AddressFamily inet",
        $"HostKey {HostKeyFile}",
        $"PidFile {PidFile}",
        $"AuthorizedKeysFile {_keys.AuthorizedKeysFile}",
        "PermitRootLogin prohibit-password",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        // The keys live in a temporary folder under /tmp (world-writable), which strict modes would refuse.
        "StrictModes no",
        "UseDNS no",
        "PrintMotd no",
        "PrintLastLog no",
        // As Debian's own configuration: scp (SFTP since OpenSSH 9) and sftp work.
        "Subsystem sftp internal-sftp",
        .. _options.ExtraConfig,
    ];

    /// <summary>
    /// Starts sshd in the foreground (<c>-D</c>, logging to stderr: <c>-e</c>) inside the namespace, through a shell
    /// that first sets up what is the machine's own: its hostname (in the UTS namespace <c>unshare --uts</c> makes)
    /// and its mounts (in the mount namespace <c>ip netns exec</c> makes). <c>ip netns exec</c>, unshare and the
    /// shell each execute the next program in their place, so the process started is sshd's listener.
    /// </summary>
    private Process StartSshd()
    {
        var script = new List<string>
        {
            "set -e",
            $"hostname {Name}",
            // The sources name the machine, so a check can find its mounts in any process's mountinfo.
            $"mount -t tmpfs -o mode=0700 {Name}-home {HomeFolder}",
            $"mkdir -p {CacheFolder}",
        };
        if (_options.CacheBytes is { } size)
            script.Add($"mount -t tmpfs -o mode=0700,size={size} {Name}-cache {CacheFolder}");
        // A .NET installed in root's home (dotnet-install's default) is gone with the home already.
        if (_options.WithoutDotnet) script.Add($"mount -t tmpfs -o mode=0755 {Name}-nodotnet {DotnetFolder}");
        script.Add($"exec {Sshd} -D -e -f {Quote(ConfigFile)}");
        var start = new ProcessStartInfo("ip")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] args = ["netns", "exec", Name, "unshare", "--uts", "/bin/sh", "-c", string.Join("\n", script)];
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var sshd = Process.Start(start)!;
        sshd.StandardInput.Close();
        // Drained, so a full pipe never blocks sshd; the last lines kept, so a failure can quote them.
        DataReceivedEventHandler keep = (source, line) =>
        {
            if (line.Data is null) return;
            _said.Enqueue(line.Data);
            while (_said.Count > SaidLines) _said.TryDequeue(out _);
        };
        sshd.OutputDataReceived += keep;
        sshd.ErrorDataReceived += keep;
        sshd.BeginOutputReadLine();
        sshd.BeginErrorReadLine();
        return sshd;
    }

    /// <summary>
    /// Returns once sshd has written its pid file (it does so once it listens) and a connection to port 22 at
    /// <see cref="Address"/> is accepted and greeted (<see cref="Greets"/>); throws with sshd's words when sshd ends or
    /// 10 s pass first.
    /// </summary>
    private void WaitUntilListening(string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_sshd!.HasExited)
            {
                // The rest of what it said: WaitForExit with a timeout returns before the output handlers have seen
                // the last lines (the test of a broken config once missed sshd's "Bad configuration option"); the one
                // without waits for them, bounded here in case something else holds the pipe.
                Task.Run(() => _sshd.WaitForExit()).Wait(TimeSpan.FromSeconds(2));
                throw Failed(what, $"sshd ended with exit code {_sshd.ExitCode}");
            }
            if (File.Exists(PidFile) && Greets(TimeSpan.FromMilliseconds(500))) return;
            if (clock.Elapsed > StartTimeout)
            {
                var why = $"no connection to port {Port} at {Address} was greeted within {StartTimeout.TotalSeconds} s";
                throw Failed(what, why);
            }
            Thread.Sleep(10);
        }
    }

    private InvalidOperationException Failed(string what, string why) =>
        new($"sshd of machine {Name} ({Address}) did not {what}: {why}. It said:\n{Said()}");

    /// <summary>
    /// SIGKILLs every process in the namespace, again until none is listed (one may fork while the others die), and
    /// waits until each is dead; returns those still alive after 10 s (none, unless one is stuck in the kernel).
    /// </summary>
    private List<int> KillEverythingInside()
    {
        var killed = new HashSet<int>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            IReadOnlyList<int> inside;
            try { inside = ProcessesInside(); }
            catch (InvalidOperationException) { break; }    // no namespace (a constructor that failed early)
            if (inside.Count == 0) break;
            foreach (var pid in inside)
            {
                kill(pid, SigKill);
                killed.Add(pid);
            }
            Thread.Sleep(5);
        }
        while (clock.Elapsed < StartTimeout && killed.Any(IsAlive)) Thread.Sleep(5);
        return [.. killed.Where(IsAlive)];
    }

    /// <summary>Whether <paramref name="pid"/> runs (a zombie, dead but not yet reaped, does not).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 1)..].TrimStart().StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary><paramref name="text"/> as one word for sh, in single quotes.</summary>
    private static string Quote(string text) => $"'{text.Replace("'", "'\\''")}'";
}
