using System.Net;
using System.Net.Sockets;

namespace ClusterPool.Hosts;

/// <summary>
/// The address of this machine that a pool's hosts reach it at, when <see cref="PoolOptions.ListenAddress"/> does not
/// say: the local address the system routes each host's traffic from (no packet is sent). Hosts named by an alias of
/// <c>~/.ssh/config</c> are looked up as OpenSSH would (<c>ssh -G</c>).
/// </summary>
internal static class ReachableAddress
{
    /// <summary>The one address every host is reached from.</summary>
    /// <exception cref="PoolConfigurationException">A host's name is unknown, or the hosts are reached from different
    /// addresses (the pool listens on one): the message says which, and to set ListenAddress.</exception>
    public static string Towards(IReadOnlyList<HostSpec> hosts, SshSettings ssh)
    {
        var sources = hosts.Select(h => (Host: h, From: From(h, ssh))).ToList();
        var distinct = sources.Select(s => s.From).Distinct().ToList();
        if (distinct.Count == 1) return distinct[0];
        throw new PoolConfigurationException(
            "the hosts are reached from different addresses of this machine (" + string.Join(", ", sources.Select(s =>
                $"{s.Host.Name} from {s.From}")) + "), and a pool listens on one: set PoolOptions.ListenAddress to " +
            "HOST:PORT with a name or address every host reaches");
    }

    private static string From(HostSpec host, SshSettings ssh)
    {
        var address = Resolve(host.Host) ?? Resolve(SshHostName(host, ssh) ?? host.Host)
            ?? throw new PoolConfigurationException(
                $"host {host.Name}: its name is not known here (DNS, /etc/hosts, ~/.ssh/config): check the name; if " +
                "it is right and only this machine cannot resolve it, set PoolOptions.ListenAddress to HOST:PORT " +
                "with an address of this machine the host reaches (the pool cannot tell which without the name)");
        if (IPAddress.IsLoopback(address)) return "127.0.0.1";
        using var probe = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        probe.Connect(address, 9);
        return ((IPEndPoint)probe.LocalEndPoint!).Address.ToString();
    }

    private static IPAddress? Resolve(string name)
    {
        if (IPAddress.TryParse(name, out var address)) return address;
        try { return Dns.GetHostAddresses(name).OrderBy(a => a.AddressFamily != AddressFamily.InterNetwork)
            .FirstOrDefault(); }
        catch (SocketException) { return null; }
    }

    /// <summary>The name OpenSSH connects to for <paramref name="host"/> (its <c>HostName</c>), or null.</summary>
    private static string? SshHostName(HostSpec host, SshSettings ssh) =>
        ProgramOutput.Read(ssh.Program, ["-G", .. ssh.ConfigFile is { } config ? ["-F", config] : Array.Empty<string>(),
                host.Host], TimeSpan.FromSeconds(10))?
            .Split('\n').FirstOrDefault(l => l.StartsWith("hostname ", StringComparison.Ordinal))?[9..].Trim();
}
