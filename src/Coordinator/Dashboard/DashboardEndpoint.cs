using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ClusterPool.Dashboard;

/// <summary>
/// Where the dashboard listens: <see cref="PoolOptions.Dashboard"/> read as <c>HOST:PORT</c>, HOST an IP address
/// (<c>[::1]</c> for IPv6), <c>localhost</c> (the IPv4 loopback) or <c>*</c> (every interface), PORT 0 for any free
/// one.
/// </summary>
internal sealed record DashboardEndpoint(IPAddress Address, int Port)
{
    /// <summary>Reads <paramref name="text"/>; anything else is an <see cref="ArgumentException"/> naming the
    /// option.</summary>
    public static DashboardEndpoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon > 0 && ParseHost(text[..colon]) is { } address
            && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                && port <= 65535)
            return new DashboardEndpoint(address, port);
        throw new ArgumentException(
            $"{nameof(PoolOptions)}.{nameof(PoolOptions.Dashboard)} must be HOST:PORT (HOST an IP address, localhost " +
                "or *; " +
            $"PORT 0 to 65535, 0 for any free port), for example 127.0.0.1:8265, not \"{text}\"", "options");
    }

    private static IPAddress? ParseHost(string host)
    {
        if (host == "*") return IPAddress.Any;
        // localhost is the IPv4 loopback only: Kestrel cannot give "localhost" a free port (port 0) on both families.
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (bracketed) host = host[1..^1];
        if (!IPAddress.TryParse(host, out var address)) return null;
        // An IPv6 address takes brackets, so that its own colons are not read as the port's.
        return address.AddressFamily == AddressFamily.InterNetworkV6 == bracketed ? address : null;
    }

    /// <inheritdoc />
    public override string ToString() =>
        Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}
