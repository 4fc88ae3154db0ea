using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// A second "machine" for tests and the bench: a Linux network namespace with its own address, joined to this one by a
/// veth pair, whose link can be cut and healed. Whoever makes it removes it (Dispose), even on failure. Needs root.
/// </summary>
internal sealed class NetworkNamespace : IDisposable
{
    public NetworkNamespace()
    {
        var id = Claim();
        Name = $"cptest{id}";
        HostSide = $"cph{id}";
        var subnet = $"10.213.{id - FirstId}";
        HostAddress = $"{subnet}.1";
        Address = $"{subnet}.2";
        try
        {
            Ip($"link add {HostSide} type veth peer name cpn{id}");
            Ip($"link set cpn{id} netns {Name}");
            Ip($"addr add {HostAddress}/24 dev {HostSide}");
            Ip($"link set {HostSide} up");
            Ip($"netns exec {Name} ip addr add {Address}/24 dev cpn{id}");
            Ip($"netns exec {Name} ip link set cpn{id} up");
            Ip($"netns exec {Name} ip link set lo up");
            // Every address of this box is reachable from the namespace (as a machine on a LAN reaches the
            // coordinator's), not only its own end of the pair: namespaces made apart then share one pool address.
            Ip($"netns exec {Name} ip route add default via {HostAddress}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The first namespace's number: <c>cptest1000</c> has subnet 10.213.0.0/24, and so on to 249.</summary>
    private const int FirstId = 1000;

    public string Name { get; }
    public string HostSide { get; }
    public string HostAddress { get; }
    public string Address { get; }

    /// <summary>The command prefix that runs a program inside the namespace.</summary>
    public string[] Exec => ["ip", "netns", "exec", Name];

    /// <summary>The same program, started inside the namespace (<see cref="Exec"/> before its command line).</summary>
    public ProcessStartInfo Wrap(ProcessStartInfo program)
    {
        var wrapped = new ProcessStartInfo(Exec[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = program.RedirectStandardInput,
            RedirectStandardOutput = program.RedirectStandardOutput,
            RedirectStandardError = program.RedirectStandardError,
        };
        foreach (var arg in Exec.Skip(1).Append(program.FileName).Concat(program.ArgumentList))
            wrapped.ArgumentList.Add(arg);
        return wrapped;
    }

    /// <summary>Cuts the link (as a pulled cable would): no packet passes, nothing is refused.</summary>
    public void Cut() => Ip($"link set {HostSide} down");

    /// <summary>Restores the link.</summary>
    public void Heal() => Ip($"link set {HostSide} up");

    public void Dispose()
    {
        Ip($"netns del {Name}", check: false);       // takes the namespace's end of the pair with it
        Ip($"link del {HostSide}", check: false);     // in case the pair outlived it
    }

    /// <summary>
    /// Makes a namespace with a name of its own and returns its number. The name says the subnet (cptest1000 + n has
    /// 10.213.n.0/24), so claiming the name (<c>ip netns add</c> fails on one that exists) claims the subnet: two
    /// namespaces made at once, in one process or two, never share a subnet (two would make each other unreachable),
    /// and a name taken by another is left alone (a failed claim removes nothing). A subnet this box already has an
    /// address in is skipped too.
    /// </summary>
    private static int Claim()
    {
        var addresses = Programs.Check("ip", ["-4", "-o", "addr", "show"]).Output;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var n = Random.Shared.Next(0, 250);
            if (addresses.Contains($" 10.213.{n}.")) continue;
            var claim = Programs.Run("ip", ["netns", "add", $"cptest{FirstId + n}"]);
            if (claim.ExitCode == 0) return FirstId + n;
            if (!claim.Error.Contains("File exists"))
                throw new InvalidOperationException($"ip netns add failed: {claim}");
        }
        throw new InvalidOperationException("no free network namespace name (cptest1000 to 1249) in 100 attempts");
    }

    /// <summary>
    /// Runs <c>ip</c> with <paramref name="args"/>; throws naming the command and its error when it fails and
    /// <paramref name="check"/>.
    /// </summary>
    internal static void Ip(string args, bool check = true)
    {
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args.Split(' ')) info.ArgumentList.Add(arg);
        using var ip = Process.Start(info)!;
        var error = ip.StandardError.ReadToEnd();
        ip.WaitForExit();
        if (check && ip.ExitCode != 0) throw new InvalidOperationException($"ip {args} failed: {error}");
    }
}
