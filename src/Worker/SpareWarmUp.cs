using ClusterPool.Contracts.Launch;
using Akka.Actor;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Contracts.Security;

namespace ClusterPool.Worker;

/// <summary>
/// What a spare worker does while it waits for its pool: it opens a connection to a running pool of its program and
/// asks it who it is (Akka's <see cref="Identify"/>, answered by Akka itself: no task, no code of the app). That runs
/// once the code that connecting takes - the handshake, the endpoint actors - and, before that, the payload serializer
/// for plain values, which a worker joining its pool would otherwise compile then. It also loads the program's
/// application assembly and reads its dependency list, as a first task would (5-17 ms of each later pool's first task,
/// timed in its workers): loading runs none of the app's code (no module initializer, no static constructor: those run
/// at the first call into it), so the pool that adopts the spare still gets a clean process. As a first task would,
/// loading lets payloads hold the application's types and its dependencies' (<c>AllowedTypes</c>): the program's
/// own, from its own pool. (Registration and welcome need no warming: <c>WorkProtocolSerializer</c> writes them by
/// hand.)
/// </summary>
internal static class SpareWarmUp
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    /// <summary>Warms up with the pool at <see cref="WorkerOptions.WarmWith"/> (<c>HOST:PORT</c>) and the application
    /// at <see cref="WorkerOptions.WarmApp"/>, if any; done early when <paramref name="joined"/> completes.</summary>
    public static async Task RunAsync(ActorSystem system, bool tls, WorkerOptions options, Task joined)
    {
        PayloadWarmUp.Run(); // a first chunk's arguments and results
        if (options.WarmApp is { } app)
        {
            try { AppAssemblyLoader.Load(app); }
            catch (Exception) { /* a warm-up only: the first task that needs it says what is wrong */ }
        }
        if (options.WarmWith is not { } poolAddress) return;
        var (host, port) = HostPort.Parse(poolAddress);
        var pool = new Address(ClusterTls.Protocol(tls), PoolConfig.SystemName, host, port);
        var asked = system.ActorSelection($"{pool}/user/pool").Ask<ActorIdentity>(new Identify(0), Patience);
        // Asked of a pool that has stopped meanwhile, no answer comes: the pool that adopts this worker does not wait
        // for it.
        try { await Task.WhenAny(asked, joined); }
        catch (Exception) { /* a warm-up only */ }
        _ = asked.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed, whatever became of it
    }
}
