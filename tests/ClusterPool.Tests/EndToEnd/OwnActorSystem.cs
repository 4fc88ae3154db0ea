namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// For tests that watch a pool's start pick its port: a pool with this configuration neither adopts an actor system
/// kept from another test's pool (which comes with its port) nor keeps its own (<see cref="Lifecycle.KeptActorSystems"/>;
/// keep-for 0 keeps nothing).
/// </summary>
internal static class OwnActorSystem
{
    /// <summary>The configuration: no spares, no kept actor system.</summary>
    public const string Config = "clusterpool.local-workers.spares.keep-for = 0s";
}
