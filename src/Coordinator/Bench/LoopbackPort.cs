using System.Net;
using System.Net.Sockets;

namespace ClusterPool.Bench;

/// <summary>A TCP port free on this machine right now, for a pool that must listen on a known address (bench and tests).</summary>
internal static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
