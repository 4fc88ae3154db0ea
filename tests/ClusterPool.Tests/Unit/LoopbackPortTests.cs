using System.Net;
using System.Net.Sockets;
using ClusterPool.Workers;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// The port an embedded pool picks before it binds it is one no starting worker can take: workers bind port 0, which
/// the system serves from its ephemeral range, so the pool's port comes from outside that range.
/// </summary>
public class LoopbackPortTests
{
    [Fact]
    public void ThePoolsPortIsOutsideTheEphemeralRangeAndFree()
    {
        var ephemeral = LoopbackPort.EphemeralRange() ?? (49152, 65535);
        for (var i = 0; i < 20; i++)
        {
            var port = LoopbackPort.Free();
            Assert.False(port >= ephemeral.Low && port <= ephemeral.High, $"port {port} is in the ephemeral range {ephemeral.Low}-{ephemeral.High}");
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start(); // and nothing holds it
        }
    }

    [Theory]
    [InlineData(32768, 60999, 20000, 32767)] // Linux's default: below it
    [InlineData(49152, 65535, 20000, 32767)] // Windows' range does not reach the candidates
    [InlineData(25000, 60999, 20000, 24999)] // a wider range: what is left below it
    [InlineData(10000, 30000, 30001, 32767)] // one that starts lower: what is left above it
    [InlineData(1024, 65535, 65536, 32767)]  // no room: empty (Free falls back to the system's choice)
    public void CandidatesAvoidTheConfiguredRange(int low, int high, int expectedLow, int expectedHigh) =>
        Assert.Equal((expectedLow, expectedHigh), LoopbackPort.Range((low, high)));
}
