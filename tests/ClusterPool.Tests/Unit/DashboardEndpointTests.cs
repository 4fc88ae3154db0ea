using System.Net;
using ClusterPool.Dashboard;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary><see cref="PoolOptions.Dashboard"/> read as an address (<see cref="DashboardEndpoint"/>).</summary>
public class DashboardEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1:8265", "127.0.0.1", 8265)]
    [InlineData("localhost:0", "127.0.0.1", 0)]
    [InlineData("*:8265", "0.0.0.0", 8265)]
    [InlineData("0.0.0.0:80", "0.0.0.0", 80)]
    [InlineData("[::1]:8265", "::1", 8265)]
    [InlineData("10.1.2.3:65535", "10.1.2.3", 65535)]
    public void ReadsHostAndPort(string text, string address, int port)
    {
        var endpoint = DashboardEndpoint.Parse(text);
        Assert.Equal((IPAddress.Parse(address), port), (endpoint.Address, endpoint.Port));
    }

    [Theory]
    [InlineData("")]
    [InlineData(":8265")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:+80")]
    [InlineData("::1:8265")]
    [InlineData("[127.0.0.1]:8265")]
    [InlineData("host.example:8265")]
    public void AnythingElseIsAnArgumentErrorNamingTheOption(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => DashboardEndpoint.Parse(text));
        Assert.StartsWith("PoolOptions.Dashboard must be HOST:PORT", error.Message);
        Assert.Equal("options", error.ParamName);
    }

    [Fact]
    public void ShowsIPv6InBrackets() => Assert.Equal("[::1]:8265", DashboardEndpoint.Parse("[::1]:8265").ToString());
}
