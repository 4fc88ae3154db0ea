using ClusterPool.Contracts.Launch;
using Microsoft.Extensions.Logging;

namespace ClusterPool.Hosts;

/// <summary>
/// The pool's hosts (<see cref="PoolOptions.Hosts"/>): starts a worker host on each over SSH, all at once; starts one
/// again when its session ends during the run: at once when it retired, after a pause when it was lost (its work
/// re-runs elsewhere meanwhile, as for any lost host), a few times in a row; and stops them all by closing their
/// sessions, which each worker host takes as its signal to stop. Should this process die, even by <c>kill -9</c>, the
/// SSH clients' stdin closes and the sessions end just the same.
/// </summary>
internal sealed class RemoteHostSpawner
{
    private readonly IReadOnlyList<RemoteHost> _hosts;
    private readonly SshSettings _ssh;
    private readonly RemoteWorkerStart _start;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();

    public RemoteHostSpawner(IReadOnlyList<HostSpec> hosts, SshSettings ssh, RemoteBuild build,
        RemoteWorkerStart start, ILogger log)
    {
        _hosts = [.. hosts.Select(h => new RemoteHost(h, new RemoteHostSession(h, ssh, build)))];
        _ssh = ssh;
        _start = start;
        _log = log;
    }

    /// <summary>Each host as it is now.</summary>
    public IReadOnlyList<RemoteHostStatus> Statuses => [.. _hosts.Select(h => h.Status)];

    /// <summary>The slots of the hosts whose worker host runs.</summary>
    public int Slots => _hosts.Sum(h => h.Status is { State: RemoteHostState.Running } s ? s.Slots : 0);

    /// <summary>
    /// Starts every host's worker host, at once, and waits until each runs or has failed.
    /// </summary>
    /// <param name="othersCanRun">True when the pool has slots besides these hosts (local workers).</param>
    /// <param name="cancellationToken">Stops every host's start (their sessions end) and throws
    /// <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="RemoteHostException">A host failed and <see cref="SshSettings.RequireAll"/> is set, or every
    /// host failed and nothing else can run the work: the message names each host and why.</exception>
    public void StartAll(bool othersCanRun, CancellationToken cancellationToken = default)
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
        using (cancellationToken.Register(() => _stopping.Cancel()))
            Task.WaitAll([.. _hosts.Select(StartAsync)]);
        if (cancellationToken.IsCancellationRequested)
        {
            StopAll();
            cancellationToken.ThrowIfCancellationRequested();
        }
        var failed = _hosts.Where(h => h.Status.State == RemoteHostState.Failed).ToList();
        if (failed.Count == 0) return;
        if (!_ssh.RequireAll && (othersCanRun || failed.Count < _hosts.Count))
        {
            foreach (var host in failed)
                _log.LogWarning("{Failure}; the pool runs without it", host.Status.Failure);
            return;
        }
        StopAll();
        var why = _ssh.RequireAll ? "every host is required (RequireAllHosts)" : "no host could start";
        throw new RemoteHostException(string.Join(", ", failed.Select(h => h.Spec.Name)),
            $"the pool cannot start: {why}: " + string.Join("; ", failed.Select(h => h.Status.Failure)));
    }

    /// <summary>Starts one host's worker host, then watches its session; false when it failed (its status says
    /// why).</summary>
    private async Task<bool> StartAsync(RemoteHost host)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        limit.CancelAfter(_ssh.ConnectTimeout + StartLimit);
        StartedHost started;
        try
        {
            started = await host.Session.StartAsync(Arguments(), Environment(), limit.Token)
                .ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var why = e switch
            {
                RemoteHostException => e.Message,
                OperationCanceledException when _stopping.IsCancellationRequested => $"host {host.Spec.Name}: stopped",
                OperationCanceledException => $"host {host.Spec.Name}: did not start within {StartLimit}",
                _ => $"host {host.Spec.Name}: its session failed ({e.GetType().Name}: {e.Message})",
            };
            host.Failed(why);
            return false;
        }
        if (!host.Running(started))
        {
            started.Channel.Dispose(); // the pool stopped meanwhile
            return true;
        }
        if (started.ShippedFiles > 0)
            _log.LogInformation("host {Host}: shipped {Files} files ({Bytes:N0} bytes) into its cache",
                host.Spec.Name, started.ShippedFiles, started.ShippedBytes);
        started.Channel.StderrLine += line => _log.LogInformation("[{Host}] {Line}", host.Spec.Name, line);
        _ = WatchAsync(host, started).ContinueWith(watch => _log.LogWarning(watch.Exception,
            "host {Host}: watching its session failed", host.Spec.Name), TaskContinuationOptions.OnlyOnFaulted);
        return true;
    }

    /// <summary>How long a host may take to start (a first run ships the app, and maybe a runtime).</summary>
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(5);

    /// <summary>Reads the worker host's stdout until its session ends; then, unless the pool stops, starts it again:
    /// at once when it retired (<c>MaxTasksPerChild</c>, <c>MaxMemoryPerChild</c>, a stuck task), after a pause when it
    /// was lost (a few times in a row: a host that keeps ending is left out).</summary>
    private async Task WatchAsync(RemoteHost host, StartedHost started)
    {
        var channel = started.Channel;
        while (await channel.ReadAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
            _log.LogInformation("[{Host}] {Line}", host.Spec.Name, line);
        var code = await channel.ExitAsync(CancellationToken.None).ConfigureAwait(false);
        // The pool stops (its coordinator told the host to leave, which ends the session first): StopAllAsync ends it.
        if (!host.Ended(started)) return;
        channel.Dispose();
        if (code == WorkerExitCode.Recycle)
        {
            // It handed its work back and left: the pool's own business, as a local worker's retirement is.
            if (!host.Retired()) return; // the pool stops
            _log.LogInformation("host {Host}: its worker host retired; starting a fresh one", host.Spec.Name);
            if (!await StartAsync(host).ConfigureAwait(false)) await RestartAsync(host, host.Status.Failure!);
            return;
        }
        var why = $"host {host.Spec.Name}: its worker host ended (exit code {code})" +
            (channel.LastStderrLines(3) is { Count: > 0 } last ? ": " + string.Join(" / ", last) : "");
        // Refused (another build, certificates that do not belong together) or bad arguments (a --join name this host
        // does not resolve): another start would end the same way.
        if (code is WorkerExitCode.Refused or WorkerExitCode.BadArguments)
        {
            host.Failed(why + "; not started again");
            _log.LogWarning("{Why}", host.Status.Failure);
            return;
        }
        await RestartAsync(host, why).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a lost host's worker host again, after a pause, until it runs or <c>clusterpool.ssh.restarts</c> starts
    /// in a row have failed or ended soon (a host unreachable for a while, a cut network, gets them all).
    /// </summary>
    private async Task RestartAsync(RemoteHost host, string why)
    {
        while (host.RestartsInARow < _ssh.Restarts)
        {
            if (!host.Restarting(why)) return; // a start that failed as the pool stops: no loss
            _log.LogWarning("{Why}; its work re-runs elsewhere, and it is started again", why);
            try { await Task.Delay(RestartDelay, _stopping.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            if (await StartAsync(host).ConfigureAwait(false)) return;
            why = host.Status.Failure ?? why;
        }
        host.Failed(why + $"; not started again after {host.RestartsInARow} restarts in a row");
        _log.LogWarning("{Why}", host.Status.Failure);
    }

    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The worker host's arguments: the pool's address; its certificate from the environment (the session's stdin
    /// brought it); and its session as its lifeline: the host runs as the child of the session's shell
    /// (<c>remote-host.sh</c>, which kills what its tasks left when it ends), watching its stdin and that shell
    /// (<c>@PARENT</c>) as a worker on the pool's machine watches the pool. No supervisor process of its own (as a
    /// host started by hand has): this pool starts it again when it ends, which saves every host a .NET start (~0.3 s,
    /// ~0.45 CPU-s) and the supervisor's memory.
    /// </summary>
    private List<string> Arguments() =>
    [
        WorkerCommandLine.Join, _start.Join, WorkerCommandLine.ParentPid, RemoteHostSession.ParentMarker,
        WorkerCommandLine.AnnounceJoin,
        .. _start.Certificate is null ? Array.Empty<string>() : [WorkerCommandLine.CertificateFromEnvironment],
    ];

    /// <summary>The certificate (and its password), for the worker host's environment: sent in the session, they
    /// never touch the host's disk. And the worker's gen0 budget, as a local worker gets it.</summary>
    private Dictionary<string, string> Environment()
    {
        var variables = new Dictionary<string, string>();
        if (_start.Certificate is { } certificate) variables[WorkerCommandLine.CertificateVariable] = certificate;
        if (_start.Password is { } password) variables[WorkerCommandLine.CertificatePasswordVariable] = password;
        if (WorkerGcBudget.ForAnotherMachine(_start.GcGen0Size) is { } budget)
            variables[WorkerGcBudget.Variable] = budget;
        return variables;
    }

    /// <summary>
    /// Stops every host: closes each session's stdin (the worker host stops at once: the pool has told it to leave
    /// already, or is going), waits up to <paramref name="grace"/> for the sessions to end, then ends the rest.
    /// </summary>
    public async Task StopAllAsync(TimeSpan grace)
    {
        var channels = Stop();
        foreach (var channel in channels) channel.CloseInput();
        using var wait = new CancellationTokenSource(grace);
        try { await Task.WhenAll(channels.Select(c => c.ExitAsync(wait.Token))).ConfigureAwait(false); }
        catch (OperationCanceledException) { /* ended below */ }
        foreach (var channel in channels) channel.Dispose();
    }

    /// <summary>
    /// The pool is stopping: a session that ends from now on (the coordinator tells each host to leave) is not a lost
    /// host, and no host is started again.
    /// </summary>
    public void BeginStop()
    {
        // Hosts first: a start that the cancel below ends then finds its host stopping, not failed.
        foreach (var host in _hosts) host.BeginStop();
        _stopping.Cancel();
    }

    /// <summary>Stops every host at once (this process exits).</summary>
    public void StopAll()
    {
        foreach (var channel in Stop()) channel.Dispose();
    }

    private List<SshChannel> Stop()
    {
        List<SshChannel> channels = [.. _hosts.Select(h => h.Stop()).OfType<SshChannel>()];
        _stopping.Cancel(); // after the hosts (see BeginStop)
        return channels;
    }
}
