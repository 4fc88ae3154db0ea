using System.Net;
using System.Net.Sockets;

namespace ClusterPool.Workers;

/// <summary>A TCP port free on this machine right now: where an embedded pool will listen, told to its workers before it does (and for tests and the bench).</summary>
internal static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
