using ClusterPool.Contracts.Launch;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Output;
using ClusterPool.Security;
using Microsoft.Extensions.Logging;

namespace ClusterPool.Workers;

/// <summary>
/// Embedded mode's worker processes: starts them (each a <c>clusterpool-worker</c> host joined to this pool), notices
/// at once when one exits (this process is its parent), starts a replacement, and kills every one on the way out.
/// Each worker holds a pipe from this process as its stdin: if this process dies, even by <c>kill -9</c>, the pipe
/// closes and the worker exits by itself.
/// </summary>
internal sealed class LocalWorkerSpawner : IDisposable
{
    private readonly ConcurrentDictionary<int, LocalWorkerProcess> _running = new();
    private readonly int _target;
    private readonly int _slotsPerProcess;
    private readonly string _join;
    private readonly string? _config;
    private readonly Action<int, int, IReadOnlyList<string>, bool> _onExit;
    private readonly Lock _lock = new();
    private readonly RestartBackoff _backoff = new();
    private volatile bool _stopping;

    private readonly ILogger _log;
    private readonly TaskOutputSink? _taskOutput;

    private readonly PoolCertificate? _certificate;

    // Spare processes for the program's next pool (SpareWorkers): how long they wait, and how many at most.
    private readonly SpareSettings _spares;
    private int _registered;

    // clusterpool.local-workers.gc-gen0-size: 0 leaves .NET's own budget.
    private readonly long _gcGen0Size;

    public LocalWorkerSpawner(int processes, int slotsPerProcess, LocalWorkerSettings settings, string join,
        string? config,
        PoolCertificate? certificate, Action<int, int, IReadOnlyList<string>, bool> onExit, ILogger log,
        TaskOutputSink? taskOutput)
    {
        _spares = settings.Spares;
        _gcGen0Size = settings.GcGen0Size;
        _admission = new StartAdmission<LocalWorkerProcess>(settings.StartingAtOnce);
        _certificate = certificate;
        _log = log;
        _taskOutput = taskOutput;
        _target = processes;
        _slotsPerProcess = slotsPerProcess;
        _join = join;
        _config = config;
        _onExit = onExit;
    }

    /// <summary>How many launches run at once: one takes seconds under Wine, where 64 in a row took minutes.</summary>
    private const int LaunchesAtOnce = 8;

    // A few workers start at a time; each joins once the pool listens (StartAdmission).
    private readonly StartAdmission<LocalWorkerProcess> _admission;

    /// <summary>The pool accepts connections now: the started workers are told so on their stdin
    /// (<see cref="WorkerCommandLine.JoinLine"/>).</summary>
    public void AnnounceListening()
    {
        IReadOnlyList<LocalWorkerProcess> told;
        lock (_lock) told = _admission.Listening();
        foreach (var process in told) Announce(process);
    }

    /// <summary>
    /// A worker registered: it no longer starts, and the next one may. Once all have, spares for the program's next
    /// pool start as soon as the cores are mostly idle.
    /// </summary>
    public void OnRegistered(int pid)
    {
        if (!_running.TryGetValue(pid, out var process)) return;
        int launches;
        lock (_lock) launches = _admission.Registered(process);
        LaunchLater(launches);
        if (Interlocked.Increment(ref _registered) == _target) WatchForIdleCpu();
    }

    private Timer? _idleWatch;
    private int _watching;

    /// <summary>
    /// Once this pool leaves the cores mostly idle (<see cref="IdleCpuWatch"/>, sampled every quarter second), spares
    /// start for the program's next pool (<see cref="SpareWorkers"/>): as many as this pool has processes, at most
    /// <see cref="SpareSettings.Most"/>. Watched from when all its workers are up, or from when it is closed; once.
    /// While this pool runs, the spares first talk to it, which makes their own join quick.
    /// </summary>
    public void WatchForIdleCpu()
    {
        if (_spares.KeepFor <= TimeSpan.Zero || !_spares.Loopback
            || Interlocked.Exchange(ref _watching, 1) == 1) return;
        var cpu = new IdleCpuWatch(() => _running.Values.Aggregate(TimeSpan.Zero, (sum, w) => sum + w.CpuTime),
            _spares.IdleBelow);
        var timer = new Timer(_ =>
        {
            lock (cpu) // the callbacks of a timer may overlap
            {
                if (_idleWatch is null || _stopping || !cpu.IsIdle()) return;
                StopWatchingCpu();
                // Checked again under the spawner's lock: a pool that stops meanwhile starts none.
                lock (_lock) if (_stopping) return;
                try { SpareWorkers.Shared.Prepare(SpareKey(), Math.Min(_target, _spares.Most), _spares.KeepFor,
                    WorkerProcess.Launch, () => StartInfo(WorkerProcess.Launch,
                    [WorkerCommandLine.Spare, WorkerCommandLine.WarmWith, _join, .. WarmApp]), _log); }
                catch (Exception e) { _log.LogWarning(
                    "spare worker processes for the next pool did not start: {Reason}", e.Message); }
            }
        });
        lock (_lock)
        {
            if (_stopping)
            {
                timer.Dispose();
                return;
            }
            _idleWatch = timer;
        }
        timer.Change(TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    private void StopWatchingCpu()
    {
        Timer? timer;
        lock (_lock) (timer, _idleWatch) = (_idleWatch, null);
        timer?.Dispose();
    }

    /// <summary>
    /// The pool ends: spares it started for the next pool wait <see cref="SpareSettings.KeepFor"/> from now. None start
    /// here: a program that goes on with work of its own after the pool would have them take its CPU.
    /// </summary>
    public void KeepSparesWaiting()
    {
        if (_spares.KeepFor <= TimeSpan.Zero || !_spares.Loopback) return;
        try { SpareWorkers.Shared.KeepWaiting(SpareKey(), _spares.KeepFor); }
        catch (WorkerLaunchException) { /* no worker could start from here: there are no spares either */ }
    }

    /// <summary>
    /// What a spare loads while it waits (<see cref="WorkerCommandLine.WarmApp"/>): the program's own assembly, where
    /// its functions usually are; nothing for a program without one on disk (a single-file app).
    /// </summary>
    private static string[] WarmApp => Assembly.GetEntryAssembly()?.Location is { Length: > 0 } path
        && File.Exists(path) ? [WorkerCommandLine.WarmApp, path] : [];

    /// <summary>What this pool's spares are matched by (<see cref="SpareWorkers.KeyOf"/>).</summary>
    private string SpareKey() => SpareWorkers.KeyOf(CommonStartInfo(WorkerProcess.Launch));

    private void Announce(LocalWorkerProcess process) => process.Tell(WorkerCommandLine.JoinLine(_join));

    /// <summary>The ids of the worker processes running now.</summary>
    public IReadOnlyCollection<int> ProcessIds => [.. _running.Keys];

    /// <summary>The spares waiting now that a pool of this one's settings would adopt.</summary>
    public IReadOnlyList<int> SpareProcessIds => SpareWorkers.Shared.ProcessIdsOf(SpareKey());

    /// <summary>How many spares wait that this pool would adopt; none where no worker can start (StartAll says
    /// why).</summary>
    private int SparesWaiting()
    {
        if (!_spares.Loopback) return 0;
        try { return SpareProcessIds.Count; }
        catch (WorkerLaunchException) { return 0; }
    }

    /// <summary>How many of this pool's processes were spares it adopted.</summary>
    public int Adopted => Volatile.Read(ref _adopted);

    private int _adopted;

    /// <summary>Starts the worker processes.</summary>
    /// <exception cref="WorkerStartException">A worker process cannot be started at all: the message names what was
    /// tried and why.</exception>
    public void StartAll()
    {
        // Should this process exit without disposing the pool, its workers go with it (their stdin pipe closes too).
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll(TimeSpan.Zero);
        // On fewer cores than the pool has processes (itself included), the first worker starts alone and the rest as
        // it registers: 3 workers on 2 cores gave a first result after 0.46-0.50 s, against 0.69-0.76 s all at once
        // (all of them up 0.15 s later). Spares that wait are up already.
        var oneFirst = StartAdmission<LocalWorkerProcess>.ShouldStartOneFirst(_target, Environment.ProcessorCount,
            SparesWaiting());
        int now;
        lock (_lock)
        {
            if (oneFirst) _admission.StartOneFirst();
            now = _admission.Want(_target);
        }
        try
        {
            // The first few here, so that a pool that cannot start workers at all says so from Pool.Start; the rest as
            // these register.
            OwnThreads.For(now, LaunchesAtOnce, Launch);
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<WorkerStartException>()
            .FirstOrDefault() is { } cannotStart)
        {
            StopAll(TimeSpan.Zero);
            throw cannotStart;
        }
    }

    /// <summary>
    /// Launches <paramref name="count"/> workers off the caller's thread (the coordinator's, or a process's exit
    /// handler: a launch takes seconds under Wine). One that cannot start counts as a worker that failed to (the pool
    /// says so after a few) and is tried again 5 s later.
    /// </summary>
    private void LaunchLater(int count)
    {
        for (var i = 0; i < count; i++)
            Task.Run(() =>
            {
                if (_stopping) return;
                try { Launch(); }
                catch (WorkerStartException e)
                {
                    _log.LogError("{Reason}", e.Message);
                    _onExit(0, -1, [e.Message], false);
                    Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(_ => Want(1), TaskScheduler.Default);
                }
            });
    }

    /// <summary>One more worker is wanted (a replacement, or a launch to try again): it starts when there is a
    /// place.</summary>
    private void Want(int count)
    {
        if (_stopping) return;
        int launches;
        lock (_lock) launches = _admission.Want(count);
        LaunchLater(launches);
    }

    /// <summary>Launches one worker in a place the admission gave; told to join at once if the pool listens
    /// already.</summary>
    private void Launch()
    {
        LocalWorkerProcess? process;
        try { process = StartOne(); }
        catch (WorkerStartException)
        {
            int others;
            lock (_lock) others = _admission.LaunchFailed();
            LaunchLater(others);
            throw;
        }
        IReadOnlyList<LocalWorkerProcess> told;
        int launches;
        lock (_lock)
        {
            if (process is null)
            {
                _admission.LaunchFailed(); // the pool stops: nothing more starts
                return;
            }
            told = _admission.Started(process);
            launches = _admission.Launchable();
        }
        foreach (var joining in told) Announce(joining);
        LaunchLater(launches);
    }

    /// <summary>
    /// A worker process for this pool: a spare of this program's that was launched as this pool would launch it, or a
    /// new one; null when the pool began to stop meanwhile.
    /// </summary>
    private LocalWorkerProcess? StartOne()
    {
        WorkerLaunch launch;
        try { launch = WorkerProcess.Launch; }
        catch (WorkerLaunchException e) { throw new WorkerStartException(
            $"the pool cannot start worker processes: {e.Message}", e); }
        if (_stopping) return null;
        var owner = new LocalWorkerProcess.Owner(_log, _taskOutput, OnExited);
        var adopted = _spares.Loopback ? SpareWorkers.Shared.TryTake(SpareKey(), owner) : null;
        if (adopted is not null) Interlocked.Increment(ref _adopted);
        // Not under the lock: several start at once (under Wine each start takes seconds).
        var process = adopted ?? LocalWorkerProcess.Start(launch, StartInfo(launch, [WorkerCommandLine.Join, _join]),
            owner, _log);
        lock (_lock)
        {
            if (_stopping)
            {
                // The pool began to stop while this one started: it never joins.
                ProcessTree.KillWithGroups([process.Id]);
                return null;
            }
            _running[process.Id] = process;
        }
        // It exited before it was listed (a spare can, between its adoption and here): its exit found nothing to
        // remove.
        if (process.HasExited) _running.TryRemove(process.Id, out _);
        return process;
    }

    /// <summary>The start info of this pool's workers, with <paramref name="joining"/> (how it learns its pool's
    /// address) last.</summary>
    private ProcessStartInfo StartInfo(WorkerLaunch launch, string[] joining)
    {
        var start = CommonStartInfo(launch);
        foreach (var arg in joining) start.ArgumentList.Add(arg);
        return start;
    }

    /// <summary>What every worker of this pool is started with, whichever pool it joins: what spares are matched
    /// by.</summary>
    private ProcessStartInfo CommonStartInfo(WorkerLaunch launch)
    {
        var start = launch.StartInfo(WorkerCommandLine.EmbeddedWorker(_slotsPerProcess, Environment.ProcessId,
            _certificate?.File is { } file ? Path.GetFullPath(file) : null));
        // A one-time certificate (a pool with hosts) has no file: it travels in the environment, as to the hosts.
        if (_certificate is { File: null } once)
        {
            start.ArgumentList.Add(WorkerCommandLine.CertificateFromEnvironment);
            start.Environment[WorkerCommandLine.CertificateVariable] = Convert.ToBase64String(once.Pkcs12);
        }
        // what a worker inherits anyway, named so that a spare matches it too
        start.WorkingDirectory = Environment.CurrentDirectory;
        if (_certificate?.Password is { Length: > 0 } password) start.Environment[
            WorkerCommandLine.CertificatePasswordVariable] = password;
        WorkerEnvironment.Prepare(start.Environment, _gcGen0Size);
        // The pool's own override reaches its workers through the environment, on top of what this process inherited.
        if (_config is not null)
            start.Environment[PoolConfig.EnvironmentVariable] = Environment.GetEnvironmentVariable(
                PoolConfig.EnvironmentVariable) + "\n" + _config;
        return start;
    }

    private void OnExited(LocalWorkerProcess process)
    {
        var pid = process.Id;
        var wasStarted = _running.TryRemove(pid, out _);
        int launches;
        bool joined; // one that exits before it registered counts towards the restart back-off
        lock (_lock)
        {
            joined = wasStarted && !_admission.IsStarting(process);
            launches = _admission.Exited(process, wasStarted);
        }
        LaunchLater(launches);
        _ = ReportExitAsync(process, _backoff.OnExit(joined, process.Age));
    }

    /// <summary>
    /// Tells the pool of an exit with the worker's last stderr lines, which say why a worker could not start (a pool
    /// that is stopping needs none), and starts a replacement, later for a worker that keeps dying at once. Nothing
    /// here holds a thread while it waits.
    /// </summary>
    private async Task ReportExitAsync(LocalWorkerProcess process, TimeSpan backoff)
    {
        try
        {
            IReadOnlyList<string> lastLines =
                _stopping ? [] : await process.LastErrorLinesAsync().ConfigureAwait(false);
            _onExit(process.Id, process.ExitCode, lastLines, _stopping);
            process.Release();
            if (_stopping) return;
            if (backoff > TimeSpan.Zero) await Task.Delay(backoff).ConfigureAwait(false);
            Want(1);
        }
        catch (Exception e) { _log.LogError(e, "handling the exit of worker process {Pid} failed", process.Id); }
    }

    /// <summary>
    /// Stops replacing workers and waits up to <paramref name="grace"/> for them to exit, then kills what is left — all
    /// at once, not one after another: 64 workers stop in the time one takes.
    /// </summary>
    public async Task StopAllAsync(TimeSpan grace)
    {
        lock (_lock) _stopping = true;
        StopWatchingCpu();
        var processes = _running.Values.ToList();
        if (grace > TimeSpan.Zero) await Task.WhenAll(processes.Select(p => p.WaitForExitAsync(grace)))
            .ConfigureAwait(false);
        await LocalWorkerProcess.KillAsync(processes).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="StopAllAsync"/>, waiting: on a thread of its own, so that a caller on a single-threaded context
    /// cannot deadlock it.
    /// </summary>
    public void StopAll(TimeSpan grace) => Task.Run(() => StopAllAsync(grace)).GetAwaiter().GetResult();

    /// <summary>Kills every worker process now.</summary>
    public void Dispose() => StopAll(TimeSpan.Zero);
}
