using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Cluster;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Launch;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Security;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Contracts.Sharing;
using ClusterPool.Worker.Sharing;

namespace ClusterPool.Worker;

/// <summary>Runs a worker host until its coordinator, its parent, or a signal ends it.</summary>
internal static class WorkerRuntime
{

    /// <summary>The <c>--config</c> file's text, or null without one.</summary>
    /// <exception cref="ArgumentException">The file cannot be read: the message names it and why.</exception>
    private static async Task<string?> ReadConfigAsync(WorkerOptions options)
    {
        if (options.ConfigFile is not { } file) return null;
        var full = Path.GetFullPath(file);
        if (Directory.Exists(full)) throw new ArgumentException($"--config: {full} is a folder, not a HOCON file");
        try { return await File.ReadAllTextAsync(full); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--config: the file {full} cannot be read ({e.Message})");
        }
    }

    /// <summary>
    /// Runs a worker host and returns the process exit code (<see cref="WorkerExit"/>). Started by hand (no
    /// <c>--parent-pid</c>), it supervises: the actual host runs as a child process that it starts again when it
    /// retires, is recycled, dies, or was cut off from a coordinator that may come back.
    /// </summary>
    public static async Task<int> RunAsync(WorkerOptions options)
    {
        // A spare learns its pool's address once that pool starts; it binds loopback, as the pools that adopt spares
        // listen there.
        var (joinHost, joinPort) = options.Spare ? ("127.0.0.1", 0) : HostPort.Parse(options.Join);
        if (options.ParentPid is null)
        {
            // Files the arguments name are checked first: a bad one is a bad argument (exit code 2), before any
            // start. Here only: a host its supervisor or a local pool starts was given a file checked by them; one a
            // pool starts over SSH, a path into the cache the pool shipped it to.
            if (options.App is not null) AppAssemblyLoader.Check(options.App);
            var userOverride = await ReadConfigAsync(options);
            var supervisorConfig = PoolConfig.Build(NodeRole.Worker, userOverride, "127.0.0.1", 0);
            // Checked once here, before any child starts: each child would fail the same way, after its start-up.
            WorkerAddress.CheckBindable(options, WorkerAddress.Choose(options, joinHost));
            return await WorkerSupervisor.RunAsync(options, joinHost, joinPort,
                WorkerSettings.Create(supervisorConfig));
        }
        // From here on, what tasks write to the console goes to the pool, tagged with this host and pid.
        TaskConsole.Capture();
        // The parent (the pool, this host's supervisor, or the SSH session's shell a pool started it from) drives
        // shutdown: Ctrl+C in a terminal reaches the whole process group, but a worker must not die half-way on its
        // own. SIGTERM drains the host (below: it hands back its work and leaves the cluster). When the parent is
        // gone, there is no one to report to: exit at once, without Akka's graceful leave (which would wait seconds
        // for a coordinator that is not there) - watched from the start, so a parent killed while this host still
        // starts (seconds on a busy machine, or under Wine) leaves nothing.
        IgnoreInterrupt();
        ProcessTree.LeadOwnGroup(); // what tasks start can be killed with this process, whatever ends it
        ParentWatch.Start(options.ParentPid.Value, ProcessTree.KillOwnGroup);
        FunctionResolver.TrustAssemblyPaths = options.Embedded;
        var build = new List<BuildIdentity>();
        if (options.App is not null)
        {
            var app = AppAssemblyLoader.Load(options.App);
            var name = app.GetName();
            build.Add(new BuildIdentity(name.Name!, name.Version?.ToString() ?? "",
                app.ManifestModule.ModuleVersionId));
        }

        // The user's override from a --config file; PoolConfig adds the CLUSTERPOOL_CONFIG environment variable below
        // it.
        var userConfig = await ReadConfigAsync(options);
        var bindHost = WorkerAddress.Choose(options, joinHost);
        var node = WorkerCertificate.Load(options);
        WorkerCertificate.ForgetVariable(options);
        if (node?.NotValidNow() is { } invalid)
        {
            ProcessConsole.Error.WriteLine(
                $"clusterpool worker: this host's {invalid}, in {WorkerCertificate.Source(options)}: make new ones " +
                "with `clusterpool cert new` (docs/security.md)");
            return WorkerExitCode.Refused;
        }
        var config = PoolConfig.Build(NodeRole.Worker, userConfig, bindHost, options.Port,
            clusterMember: !options.Embedded);
        if (node is not null) config = ClusterTls.Enable(config);
        var workerSettings = WorkerSettings.Create(config);
        ActorSystem system;
        try
        {
            system = node is null
                ? PoolActorSystem.Start(config)
                : PoolActorSystem.Start(config, ClusterTls.Setup(node, (peer, why) =>
                    ProcessConsole.Error.WriteLine($"clusterpool worker: refused a connection from {peer}: {why}")));
        }
        catch (Exception e) when (WorkerAddress.DescribeBindFailure(e, options, bindHost) is { } why)
        {
            // Taken since the supervisor checked (another host started with the same --port at the same moment).
            throw new ArgumentException(why, e);
        }

        if (options.Spare)
        {
            await SpareWarmUp.RunAsync(system, node is not null, options, ParentWatch.ParentListening);
            (joinHost, joinPort) = HostPort.Parse(await ParentWatch.ParentListening);
        }
        var coordinator = new Address(ClusterTls.Protocol(node is not null), PoolConfig.SystemName, joinHost, joinPort);
        var sharing = system.ActorSelection(new RootActorPath(coordinator) / "user" / SharedValues.ServerName);
        MachineShares.Install(SharingSettings.Create(config, workerSettings.Budget.FrameSize),
            (request, timeout) => sharing.Ask<object>(request, timeout));
        var settings = new WorkerHost.Settings(coordinator, options.Slots, [.. build], options.Embedded,
            options.AnnounceJoin, node,
            workerSettings.Budget, workerSettings.RegisterRetry, workerSettings.CoordinatorLostAfter,
            workerSettings.JoinAnswerTimeout);
        // An embedded worker starts alongside its pool: it registers once the pool listens. A message to an address
        // that does not listen yet would close Akka's gate to it for seconds (retry-gate-closed-for).
        if (options.Embedded && !options.Spare)
        {
            PayloadWarmUp.Start(); // while its pool starts, and alongside the join
            await WaitUntilListening(joinHost, joinPort);
        }
        var host = system.ActorOf(WorkerHost.Props(settings), "worker");
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true; // the host drains and leaves the cluster, then the process exits 0
            host.Tell(WorkerHost.Drain.Instance);
        });
        if (!options.Embedded) Cluster.Get(system).JoinSeedNodes([coordinator]);

        await system.WhenTerminated;
        return WorkerExit.Code;
    }

    private static PosixSignalRegistration? _interrupt, _terminate;

    /// <summary>
    /// Waits until this worker may join: its pool says so on this process's stdin once it listens, a few workers at a
    /// time (no polling: 64 workers probing a port every 10 ms while their pool still started more of them cost a core,
    /// and all of them joining at once starved each other's handshakes). Only a worker whose stdin is no pipe (started
    /// by hand) probes the pool's port instead. The parent watch ends this process if the pool never comes.
    /// </summary>
    private static async Task WaitUntilListening(string host, int port)
    {
        if (Console.IsInputRedirected)
        {
            await ParentWatch.ParentListening;
            return;
        }
        while (await CoordinatorProbe.CheckAsync(host, port, TimeSpan.FromSeconds(1)) != ProbeResult.Answered)
            await Task.Delay(100);
    }

    private static void IgnoreInterrupt()
    {
        if (OperatingSystem.IsWindows()) { Console.CancelKeyPress += (_, e) => e.Cancel = true; return; }
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
    }
}
