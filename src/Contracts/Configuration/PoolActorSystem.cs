using Akka.Actor;
using Akka.Actor.Internal;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Util;

namespace ClusterPool.Contracts.Configuration;

/// <summary>
/// Starts the actor system of a pool or a worker from its whole configuration (<see cref="PoolConfig.Build"/>) and
/// nothing else.
/// </summary>
/// <remarks>
/// Akka's <c>ActorSystem.Create(name, setup)</c> first reads the app's <c>app.config</c> (System.Configuration's
/// <c>ConfigurationManager</c>), then ignores what it read when the setup carries a config, as ours always does. That
/// read threw for apps whose <c>App.config</c> holds a section .NET no longer declares (a WCF client's
/// <c>system.serviceModel</c>, kept from .NET Framework): "Configuration system failed to initialize" at
/// <c>Pool.Start</c>, and in every worker of a self-contained app, which runs inside the app's executable. It also cost
/// every process ~25 ms of CPU at start (an XML reader, a hash of the program's path). This starts the system as Create
/// does after that read.
/// </remarks>
internal static class PoolActorSystem
{
    /// <summary>Creates and starts the system named <see cref="PoolConfig.SystemName"/>.</summary>
    /// <param name="config">The process's configuration.</param>
    /// <param name="setups">Setups besides the configuration (logging, TLS).</param>
    public static ActorSystem Start(Config config, params Setup[] setups)
    {
        var setup = ActorSystemSetup.Create([BootstrapSetup.Create().WithConfig(config), .. setups]);
        var system = new ActorSystemImpl(PoolConfig.SystemName, config, setup, Option<Props>.None);
        system.Start();
        return system;
    }
}
