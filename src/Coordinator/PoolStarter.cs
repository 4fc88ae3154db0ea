using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using ClusterPool.Checkpoints;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Launch;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Security;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Diagnostics;
using ClusterPool.Hosts;
using ClusterPool.Dispatch;
using ClusterPool.Calls;
using ClusterPool.Lifecycle;
using ClusterPool.Logging;
using ClusterPool.Output;
using ClusterPool.Security;
using ClusterPool.Sharing;
using ClusterPool.Workers;
using Microsoft.Extensions.Logging;

namespace ClusterPool;

/// <summary>
/// Starts what a pool runs on, in the order that makes it ready soonest: its settings, its first local workers (a
/// worker process takes longer to start than the actor system, and waits for its port), the actor system, the
/// coordinator, and in cluster mode the cluster. A failure on the way stops what had started.
/// </summary>
internal static class PoolStarter
{
    /// <summary>How many free ports a pool without a ListenAddress tries: a port picked free can be taken by another
    /// program before the pool binds it.</summary>
    private const int FreePortAttempts = 3;

    /// <summary>Picks the port of a pool without a ListenAddress; tests replace it to give one that is taken.</summary>
    internal static Func<int> ChooseFreePort { get; set; } = LoopbackPort.Free;

    /// <summary>Starts the parts of a pool. <paramref name="cancellationToken"/> stops the start between its steps
    /// (and while hosts start): what had started is stopped, and <see cref="OperationCanceledException"/> is
    /// thrown.</summary>
    public static StartedPool Start(PoolStart start, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try { return StartOnce(start, mayRetry: attempt < FreePortAttempts, cancellationToken); }
            catch (FreePortTaken) { }
        }
    }

    /// <summary>The free port picked for the pool was taken before it could bind it: start again on
    /// another.</summary>
    private sealed class FreePortTaken : Exception;

    private static StartedPool StartOnce(PoolStart start, bool mayRetry, CancellationToken cancellationToken)
    {
        var (options, _, _, clusterMode, hosts) = start;
        var ssh = hosts.Count == 0 ? null : SshSettings.Create(PoolConfig.Build(
            NodeRole.Coordinator, options.Config, "127.0.0.1", 0, clusterMember: true), options);
        var logging = PoolLogging.FactoryFor(options);
        // The actor system of this program's last pool, if it was made alike and ended a moment ago: its address and
        // the spares' connections to it come with it. Taken, it is this start's: whatever fails on the way ends it.
        var keepKey = ssh is null && start.LocalWorkers > 0 ? KeptActorSystems.KeyOf(options, clusterMode) : null;
        var kept = keepKey is null ? null : KeptActorSystems.Shared.TryTake(keepKey, logging);
        try { return StartOn(start, ssh, logging, keepKey, kept, mayRetry, cancellationToken); }
        catch
        {
            kept?.System.Terminate();
            throw;
        }
    }

    /// <summary>Starts a pool on <paramref name="kept"/>, an actor system of the program's last pool, or on a new
    /// one.</summary>
    private static StartedPool StartOn(PoolStart start, SshSettings? ssh, ILoggerFactory logging, string? keepKey,
        (ActorSystem System, string Address)? kept, bool mayRetry, CancellationToken cancellationToken)
    {
        var (options, processes, localWorkers, clusterMode, hosts) = start;
        // The port is chosen before the actor system binds it, so the local workers can start at the same time.
        var (host, port) = options.ListenAddress is { } listen ? ParseAddress(listen)
            : kept is { Address: var keptAddress } ? HostPort.Parse(keptAddress)
            : (ssh is null ? "127.0.0.1" : ReachableAddress.Towards(hosts, ssh), ChooseFreePort());
        // Embedded mode needs no cluster: the pool is its workers' parent (hocon/embedded.hocon says why).
        var config = PoolConfig.Build(NodeRole.Coordinator, options.Config, host, port, clusterMember: clusterMode);
        var tls = PoolTls.Decide(options, config, host, startsHosts: hosts.Count > 0);
        config = PoolTls.Apply(config, tls);
        var settings = PoolSettings.Create(config, options);
        var defaults = new CallSettings(Timeouts.ForTask(options.TaskTimeout, nameof(PoolOptions.TaskTimeout)), null,
            Speculative: options.Speculation);
        var welcome = Welcome(options, settings);

        var (state, status) = (new PoolState(), new PoolStatus());
        var log = logging.CreateLogger(PoolLogging.Category);
        var taskOutput = TaskOutputSink.For(options);
        cancellationToken.ThrowIfCancellationRequested();
        var checkpoint = options.Checkpoint is { } file
            ? new CheckpointStore(file, log, cancel: cancellationToken) // another process may hold its lock
            : null;
        IActorRef? coordinator = null;
        var spawner = localWorkers <= 0 ? null : new LocalWorkerSpawner(
            localWorkers, options.SlotsPerProcess, settings.LocalWorkers,
            $"{host}:{port}", options.Config, tls,
            (pid, code, lastErrorLines, stopped) => coordinator?.Tell(
                new PoolCoordinator.WorkerProcessExited(pid, code, lastErrorLines, stopped)),
            logging.CreateLogger($"{PoolLogging.Category}.Worker"), taskOutput);
        if (spawner is not null)
        {
            status.LocalWorkerRegistered += spawner.OnRegistered;
            spawner.StartAll();
        }
        ActorSystem system;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A pool of this program that was on this address and is stopping still holds its port for a moment.
            if (kept is null) HeldAddresses.WaitUntilLetGo($"{host}:{port}", cancellationToken);
        }
        catch (OperationCanceledException)
        {
            spawner?.Dispose();
            checkpoint?.Dispose();
            throw;
        }
        try { system = kept?.System ?? StartActorSystem(config, logging, tls, log); }
        catch (Exception e)
        {
            spawner?.Dispose();
            checkpoint?.Dispose();
            // Another pool on the same ListenAddress, or an address of another machine: say which, not Akka's nest
            // of exceptions.
            if (options.ListenAddress is null && mayRetry && BindFailure.IsAddressInUse(e)) throw new FreePortTaken();
            var option = options.ListenAddress is null ? "the free port chosen for it" : $"{nameof(PoolOptions)}." +
                nameof(PoolOptions.ListenAddress);
            if (BindFailure.Describe(e, $"{host}:{port}", option) is { } why) throw new IOException(
                $"the pool {why}", e);
            throw;
        }
        // Akka.Remote listens once the system is created. Spares on a kept system are connected already: they are told
        // once this pool's coordinator is there (a registration sent before would be lost, and sent again 0.5 s later).
        if (kept is null) spawner?.AnnounceListening();
        if (spawner is not null) PayloadWarmUp.Start(); // while its workers join: the first call's payloads
        if (kept is null) HeldAddresses.Hold($"{host}:{port}", system);
        RemoteHostSpawner? remote = null;

        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            coordinator = ActorOfOnceFree(system, PoolCoordinator.Props(new PoolCoordinator.Settings(
                settings.Budget, settings.Dispatch.NewTimings(), settings.MaxRetries, welcome, status,
                settings.LocalWorkers.ExitReadTimeout, taskOutput, settings.Speculation,
                HandOver(config, settings, status))),
                    "pool");
            var shared = new SharedStore(hash => coordinator.Tell(new ForgetShared(hash)));
            var sharing = ActorOfOnceFree(system, SharingServer.Props(shared, status), SharingServer.Name);
            if (kept is not null) spawner?.AnnounceListening();
            var self = ((ExtendedActorSystem)system).Provider.DefaultAddress;
            if (clusterMode) JoinCluster(system, options, settings, self, tls is not null);
            remote = ssh is null ? null : StartHosts(hosts, ssh, $"{self.Host}:{self.Port}", tls, localWorkers > 0,
                settings.LocalWorkers.GcGen0Size, logging.CreateLogger($"{PoolLogging.Category}.Hosts"),
                cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            var calls = new CallSubmitter(coordinator, state, status, settings, checkpoint, log,
                () => Math.Max(Math.Max(status.Slots, processes), 1));
            return new StartedPool(system, coordinator, $"{self.Host}:{self.Port}", settings, state, status, calls,
                defaults, spawner, remote, checkpoint, taskOutput, logging, shared,
                Contracts.Sharing.SharedFolder.Of(config), clusterMode)
            {
                Sharing = sharing,
                KeepKey = tls is null ? keepKey : null,
                AdoptedActorSystem = kept is not null,
            };
        }
        catch
        {
            remote?.StopAll();
            spawner?.Dispose();
            checkpoint?.Dispose();
            system.Terminate().Wait(TimeSpan.FromSeconds(5));
            throw;
        }
    }

    /// <summary>
    /// Creates a pool's actor under its <paramref name="name"/>, which its workers know it by. On an actor system kept
    /// from the program's last pool, that pool's actor of the name has stopped, but Akka frees the name a moment after
    /// the stop is seen: the name is tried again for up to a second.
    /// </summary>
    private static IActorRef ActorOfOnceFree(ActorSystem system, Props props, string name)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try { return system.ActorOf(props, name); }
            catch (InvalidActorNameException) when (waited.Elapsed < TimeSpan.FromSeconds(1)) { Thread.Sleep(1); }
        }
    }

    /// <summary>Big payloads to this pool's own workers through memory, where the machine's folder for shared values
    /// is in memory.</summary>
    private static PayloadHandOver HandOver(
        Akka.Configuration.Config config, PoolSettings settings, PoolStatus status) => new(
        Contracts.Sharing.SharedFolder.Of(config),
        Contracts.Sharing.SharedFolder.InMemory(config) ? settings.LocalWorkers.HandOverAbove : 0, status.HandedOver);

    /// <summary>
    /// Starts a worker host on each of <paramref name="hosts"/> (<see cref="PoolOptions.Hosts"/>), once the pool
    /// listens: they join it as a by-hand host would, with the pool's certificate from their session.
    /// </summary>
    private static RemoteHostSpawner StartHosts(IReadOnlyList<HostSpec> hosts, SshSettings ssh, string join,
        PoolCertificate? tls, bool localWorkers, long gcGen0Size, ILogger log, CancellationToken cancellationToken)
    {
        RemoteBuild build;
        try { build = new RemoteBuild(); }
        catch (WorkerLaunchException e)
        {
            throw new RemoteHostException(string.Join(", ", hosts.Select(h => h.Name)),
                $"no worker host can be started from this app, here or on its hosts: {e.Message}");
        }
        var remote = new RemoteHostSpawner(hosts, ssh, build, new RemoteWorkerStart(
            join, tls is null ? null : Convert.ToBase64String(tls.Pkcs12), tls?.Password, gcGen0Size), log);
        remote.StartAll(othersCanRun: localWorkers, cancellationToken);
        return remote;
    }

    /// <summary>What each worker is told when it registers: the initializer, its limits, and how it reports.</summary>
    /// <exception cref="PayloadTooLargeException">The initializer's arguments do not fit one message: Akka.Remote
    /// dropped every welcome, and the pool said it was ready while no call ever ran.</exception>
    private static Welcome Welcome(PoolOptions options, PoolSettings settings) => new(
        options.Initializer is null ? null : FunctionReference.From(options.Initializer, nameof(options.Initializer)),
        options.Initializer is null ? null : InitArgs(options.InitArgs, settings.Budget),
        options.MaxTasksPerChild ?? 0,
        options.MaxMemoryPerChild ?? 0,
        settings.StuckTaskGrace,
        settings.ShutdownGrace,
        settings.SendResultsEvery);

    private static byte[] InitArgs(object?[] initArgs, FrameBudget budget)
    {
        var bytes = PayloadSerializer.Serialize(initArgs, "the initializer's arguments");
        return bytes.Length <= budget.MaxPayload ? bytes
            : throw budget.TooLarge($"{nameof(PoolOptions)}.{nameof(PoolOptions.InitArgs)}", bytes.Length);
    }

    private static ActorSystem StartActorSystem(Akka.Configuration.Config config, ILoggerFactory logging,
        PoolCertificate? tls, ILogger log)
    {
        // A refused peer (another cluster's certificate, none, an expired one) is logged once per address.
        return tls is null
            ? PoolActorSystem.Start(config, new LoggingSetup(logging))
            : PoolActorSystem.Start(config, new LoggingSetup(logging), ClusterTls.Setup(tls.Node, (peer, why) =>
                log.LogWarning("refused a connection from {Peer}: {Why}", peer, why)));
    }

    private static void JoinCluster(ActorSystem system, PoolOptions options, PoolSettings settings, Address self,
        bool tls)
    {
        system.ActorOf(UnreachableHostDowner.Props(settings.DownUnreachableAfter), "downing");
        var seeds = options.SeedNodes?.Select(seed => ParseSeed(seed, tls)).ToList() ?? [self];
        Cluster.Get(system).JoinSeedNodes(seeds);
    }

    private static (string Host, int Port) ParseAddress(string listen)
    {
        try { return HostPort.Parse(listen); }
        catch (ArgumentException)
        {
            throw new ArgumentException($"{nameof(PoolOptions.ListenAddress)} must be HOST:PORT, not \"{listen}\"",
                "options");
        }
    }

    private static Address ParseSeed(string seed, bool tls)
    {
        var (host, port) = ParseAddress(seed);
        return new Address(ClusterTls.Protocol(tls), PoolConfig.SystemName, host, port);
    }
}
