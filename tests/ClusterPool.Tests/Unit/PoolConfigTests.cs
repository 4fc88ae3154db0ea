using ClusterPool.Contracts.Configuration;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class PoolConfigTests
{
    [Fact]
    public void TheDefaultsComeFromHoconFolder()
    {
        var config = PoolConfig.Build(NodeRole.Coordinator, null, null, null);
        Assert.Equal(8L * 1024 * 1024, PoolConfig.FrameSize(config));
        Assert.Equal("", config.GetString("akka.cluster.downing-provider-class")); // only the coordinator downs
        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
        Assert.Equal("remote", PoolConfig.Build(NodeRole.Worker, null, null, null, clusterMember: false).GetString("akka.actor.provider"));
        Assert.Contains("coordinator", config.GetStringList("akka.cluster.roles"));
        Assert.Contains("worker", PoolConfig.Build(NodeRole.Worker, null, null, null).GetStringList("akka.cluster.roles"));
    }

    [Theory]
    [InlineData("clusterpool.max-retries = -1", "clusterpool.max-retries")]
    [InlineData("clusterpool.dispatch.target-batch-duration = soon", "clusterpool.dispatch.target-batch-duration")]
    [InlineData("akka.remote.dot-netty.tcp.maximum-frame-size = huge", "akka.remote.dot-netty.tcp.maximum-frame-size")]
    [InlineData("clusterpool.hosts.down-unreachable-after = never", "clusterpool.hosts.down-unreachable-after")]
    [InlineData("akka.remote.dot-netty.tcp.port = 70000", "akka.remote.dot-netty.tcp.port")]
    public void AWrongSettingIsAnErrorThatNamesIt(string hocon, string named)
    {
        var error = Assert.Throws<PoolConfigurationException>(() =>
            PoolSettings.Create(PoolConfig.Build(NodeRole.Coordinator, hocon, null, null), new PoolOptions()));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void MalformedHoconIsAnErrorThatSaysWhere()
    {
        var error = Assert.Throws<PoolConfigurationException>(() => PoolConfig.Build(NodeRole.Coordinator, "akka.loglevel = ${undefined-setting}", null, null));
        Assert.Contains("your configuration override", error.Message);
    }
}
