using System.Net.Sockets;

namespace ClusterPool.Worker;

/// <summary>
/// Tells a dead coordinator from an unreachable one. Akka's failure detector cannot: both are silence. But a machine
/// whose coordinator process died (even by <c>kill -9</c>) refuses connections to its port at once, while a network
/// partition gives no answer at all. Workers exit on the first and wait to rejoin on the second.
/// </summary>
internal static class CoordinatorProbe
{
    public static async Task<ProbeResult> CheckAsync(string host, int port, TimeSpan timeout)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(host, port, cancel.Token);
            return ProbeResult.Answered;
        }
        catch (SocketException e) when (
            e.SocketErrorCode == SocketError.ConnectionRefused) { return ProbeResult.Refused; }
        catch (Exception e) when (e is SocketException or OperationCanceledException) { return ProbeResult.NoAnswer; }
    }
}
