using System.Net;
using System.Net.Sockets;

namespace ClusterPool.Workers;

/// <summary>
/// A TCP port free on this machine right now: where an embedded pool will listen, told to its workers before it binds
/// it (and for tests and the bench). It is taken from below the system's ephemeral range, the ports handed to sockets
/// that bind port 0: the workers that start meanwhile bind port 0 themselves, and one of them took a port picked from
/// that range before the pool could bind it (16 workers under Wine: the pool failed with "address in use").
/// </summary>
internal static class LoopbackPort
{
    /// <summary>Where ports are picked when the system's own range allows: below Linux's (32768) and Windows' (49152)
    /// ephemeral ranges.</summary>
    public const int Lowest = 20000, Highest = 32767;

    /// <summary>A port nothing listens on now, outside the ephemeral range when there is room.</summary>
    public static int Free()
    {
        var (low, high) = Range(EphemeralRange());
        for (var attempt = 0; low <= high && attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(low, high + 1);
            if (TryListen(port)) return port;
        }
        using var any = new TcpListener(IPAddress.Loopback, 0); // no room outside: the system's choice, as before
        any.Start();
        return ((IPEndPoint)any.LocalEndpoint).Port;
    }

    /// <summary>The ports to pick from: <see cref="Lowest"/>..<see cref="Highest"/> less the part the ephemeral range
    /// covers.</summary>
    public static (int Low, int High) Range((int Low, int High)? ephemeral)
    {
        if (ephemeral is not { } e || e.High < Lowest || e.Low > Highest) return (Lowest, Highest);
        // empty when it covers all
        return e.Low > Lowest ? (Lowest, e.Low - 1) : (Math.Max(Lowest, e.High + 1), Highest);
    }

    /// <summary>Linux's configured ephemeral range; null elsewhere (Windows and macOS start theirs at 49152).</summary>
    public static (int Low, int High)? EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split(
                (char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(parts[0]), int.Parse(parts[1]));
        }
        catch (Exception e) when (
            e is IOException or UnauthorizedAccessException or FormatException
                or IndexOutOfRangeException) { return null; }
    }

    private static bool TryListen(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException) { return false; }
    }
}
