using System.Net;
using System.Net.Sockets;
using ClusterPool.Contracts.Launch;

namespace ClusterPool.Worker;

/// <summary>
/// The address a worker host binds and advertises, checked before anything starts: a <c>--join</c> host name that does
/// not resolve, a <c>--host</c> that is not this machine's and a <c>--port</c> another process listens on are each one
/// line naming the option (an <see cref="ArgumentException"/>: exit code 2), not a socket's stack trace, nor a second
/// host on the same port that cuts the first off again and again.
/// </summary>
internal static class WorkerAddress
{
    /// <summary>
    /// The address to bind: <c>--host</c>, or the local address that routes to <paramref name="joinHost"/>. Resolves
    /// the pool's host name either way, so a name that does not resolve is told at once.
    /// </summary>
    public static string Choose(WorkerOptions options, string joinHost)
    {
        var pool = Resolve(joinHost, $"{WorkerCommandLine.Join} {options.Join}");
        if (options.Host is { } host) return host;
        if (IPAddress.IsLoopback(pool)) return "127.0.0.1";
        // No packet is sent: a UDP connect only picks a route.
        using var probe = new Socket(pool.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try { probe.Connect(pool, 9); }
        catch (SocketException e)
        {
            throw new ArgumentException(
                $"{WorkerCommandLine.Join} {options.Join}: this machine has no route to {pool} ({e.Message})", e);
        }
        return ((IPEndPoint)probe.LocalEndPoint!).Address.ToString();
    }

    /// <summary>
    /// Binds <paramref name="host"/> and <c>--port</c> for a moment, as the host will: an address of another machine,
    /// or a port another process listens on (another worker host with the same <c>--port</c>), is an
    /// <see cref="ArgumentException"/> naming them.
    /// </summary>
    public static void CheckBindable(WorkerOptions options, string host)
    {
        var address = Resolve(host, $"{WorkerCommandLine.Host} {host}");
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // No listen, no connection: nothing is left in TIME_WAIT for the host's own bind.
        try { socket.Bind(new IPEndPoint(address, options.Port)); }
        catch (SocketException e) when (DescribeBindFailure(e, options, host) is { } why)
        {
            throw new ArgumentException(why, e);
        }
    }

    /// <summary>
    /// Why the host could not listen, if <paramref name="error"/> is a refused bind (Akka's, nested), naming the
    /// option that gave the address; else null.
    /// </summary>
    public static string? DescribeBindFailure(Exception error, WorkerOptions options, string host) =>
        BindFailure.Describe(error, options.Port == 0 ? host : $"{host}:{options.Port}",
            $"{WorkerCommandLine.Port} {options.Port}",
            options.Host is null ? "the address that routes to the pool" : $"{WorkerCommandLine.Host} {options.Host}");

    /// <summary>
    /// The first IPv4 address of <paramref name="host"/> (as Akka binds and connects); <paramref name="option"/> is
    /// the option and value that named it, for the error.
    /// </summary>
    private static IPAddress Resolve(string host, string option)
    {
        if (IPAddress.TryParse(host, out var literal)) return literal;
        IPAddress[] addresses;
        try { addresses = Dns.GetHostAddresses(host); }
        catch (SocketException e)
        {
            throw new ArgumentException(
                $"{option}: the host name {host} does not resolve, name resolution says \"{e.Message}\" (a typo, " +
                "or no DNS here?); give its IP address, or a name this machine resolves", e);
        }
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? throw new ArgumentException($"{option}: the host name {host} has no IPv4 address (it resolves to " +
                $"{string.Join(", ", addresses.Select(a => a.ToString()))})");
    }
}
