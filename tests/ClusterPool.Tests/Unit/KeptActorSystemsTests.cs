using Akka.Actor;
using ClusterPool.Lifecycle;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// The actor system of a program's last pool, kept for its next one (<see cref="KeptActorSystems"/>): handed once, only
/// to a pool made alike, and terminated when its time is up or another is kept.
/// </summary>
public class KeptActorSystemsTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task ItIsHandedOnceAndOnlyToAPoolMadeAlikeThatLogsAlike()
    {
        var kept = new KeptActorSystems();
        using var logging = LoggerFactory.Create(_ => { });
        using var otherLogging = LoggerFactory.Create(_ => { });
        var system = ActorSystem.Create("kept");
        try
        {
            kept.Keep(system, "127.0.0.1:5000", "config a", logging, Long);
            Assert.Null(kept.TryTake("config b", logging));
            Assert.Null(kept.TryTake("config a", otherLogging));
            Assert.Equal((system, "127.0.0.1:5000"), kept.TryTake("config a", logging));
            Assert.Null(kept.TryTake("config a", logging));
            Assert.False(system.WhenTerminated.IsCompleted, "a system handed on was terminated");
        }
        finally { await system.Terminate(); }
    }

    [Fact]
    public async Task ItIsTerminatedWhenItsTimeIsUpAndNotHandedOnAfter()
    {
        var kept = new KeptActorSystems();
        using var logging = LoggerFactory.Create(_ => { });
        var system = ActorSystem.Create("kept");
        kept.Keep(system, "127.0.0.1:5000", "config", logging, TimeSpan.FromMilliseconds(200));
        await system.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(kept.TryTake("config", logging));
    }

    [Fact]
    public async Task KeepingAnotherTerminatesTheOneKeptBefore()
    {
        var kept = new KeptActorSystems();
        using var logging = LoggerFactory.Create(_ => { });
        var (first, second) = (ActorSystem.Create("first"), ActorSystem.Create("second"));
        try
        {
            kept.Keep(first, "127.0.0.1:5000", "config a", logging, Long);
            kept.Keep(second, "127.0.0.1:5001", "config b", logging, Long);
            await first.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(kept.IsKeeping(second));
            Assert.Null(kept.TryTake("config a", logging));
        }
        finally { await Task.WhenAll(first.Terminate(), second.Terminate()); }
    }

    [Fact]
    public async Task ASystemThatIsStoppingIsNotHandedOn()
    {
        var kept = new KeptActorSystems();
        using var logging = LoggerFactory.Create(_ => { });
        var system = ActorSystem.Create("kept");
        kept.Keep(system, "127.0.0.1:5000", "config", logging, Long);
        await system.Terminate();
        Assert.Null(kept.TryTake("config", logging));
    }

    [Fact]
    public void APoolWithAnAddressOthersMayKnowACertificateOrAClusterNeitherKeepsNorAdopts()
    {
        Assert.NotNull(KeptActorSystems.KeyOf(new PoolOptions(), clusterMode: false));
        Assert.NotEqual(KeptActorSystems.KeyOf(new PoolOptions(), false),
            KeptActorSystems.KeyOf(new PoolOptions { Config = "clusterpool.max-retries = 5" }, false));
        Assert.Null(KeptActorSystems.KeyOf(new PoolOptions { ListenAddress = "127.0.0.1:5000" }, false));
        Assert.Null(KeptActorSystems.KeyOf(new PoolOptions { Certificate = "pool.pfx" }, false));
        Assert.Null(KeptActorSystems.KeyOf(new PoolOptions(), clusterMode: true));
    }
}
