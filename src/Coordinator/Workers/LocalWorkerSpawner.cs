using System.Collections.Concurrent;
using System.Diagnostics;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Output;
using ClusterPool.Worker;
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
    private readonly ConcurrentDictionary<int, Process> _running = new();
    private readonly int _target;
    private readonly int _slotsPerProcess;
    private readonly string _join;
    private readonly string? _config;
    private readonly Action<int, int, IReadOnlyList<string>> _onExit;
    private readonly Lock _lock = new();
    private int _recentFailures;
    private volatile bool _stopping;

    private readonly ILogger _log;
    private readonly TaskOutputSink? _taskOutput;

    private readonly (string File, string? Password)? _certificate;

    /// <summary>.NET's variable for the gen0 budget (hexadecimal bytes); the runtimeconfig has no such setting.</summary>
    private const string Gen0SizeVariable = "DOTNET_GCgen0size";

    // clusterpool.local-workers.gc-gen0-size: 0 leaves .NET's own budget.
    private readonly long _gcGen0Size;

    public LocalWorkerSpawner(int processes, int slotsPerProcess, int startingAtOnce, long gcGen0Size, string join, string? config,
        (string File, string? Password)? certificate, Action<int, int, IReadOnlyList<string>> onExit, ILogger log, TaskOutputSink? taskOutput)
    {
        _gcGen0Size = gcGen0Size;
        _admission = new StartAdmission<Process>(startingAtOnce);
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
    private readonly StartAdmission<Process> _admission;

    /// <summary>The pool accepts connections now: the started workers are told so on their stdin (<see cref="ParentWatch.ListeningLine"/>).</summary>
    public void AnnounceListening()
    {
        IReadOnlyList<Process> told;
        lock (_lock) told = _admission.Listening();
        foreach (var process in told) Announce(process);
    }

    /// <summary>A worker registered: it no longer starts, and the next one may.</summary>
    public void OnRegistered(int pid)
    {
        if (!_running.TryGetValue(pid, out var process)) return;
        int launches;
        lock (_lock) launches = _admission.Registered(process);
        LaunchLater(launches);
    }

    private static void Announce(Process process)
    {
        try
        {
            process.StandardInput.WriteLine(ParentWatch.ListeningLine);
            process.StandardInput.Flush();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException) { /* it exited: its exit is seen */ }
    }

    /// <summary>The ids of the worker processes running now.</summary>
    public IReadOnlyCollection<int> ProcessIds => [.. _running.Keys];

    /// <summary>Starts the worker processes.</summary>
    /// <exception cref="WorkerStartException">A worker process cannot be started at all: the message names what was tried and why.</exception>
    public void StartAll()
    {
        // Should this process exit without disposing the pool, its workers go with it (their stdin pipe closes too).
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll(TimeSpan.Zero);
        int now;
        lock (_lock) now = _admission.Want(_target);
        try
        {
            // The first few here, so that a pool that cannot start workers at all says so from Pool.Start; the rest as these register.
            Parallel.For(0, now, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Math.Min(now, LaunchesAtOnce)) }, _ => Launch());
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<WorkerStartException>().FirstOrDefault() is { } cannotStart)
        {
            StopAll(TimeSpan.Zero);
            throw cannotStart;
        }
    }

    /// <summary>
    /// Launches <paramref name="count"/> workers off the caller's thread (the coordinator's, or a process's exit handler:
    /// a launch takes seconds under Wine). One that cannot start counts as a worker that failed to (the pool says so after
    /// a few) and is tried again 5 s later.
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
                    _onExit(0, -1, [e.Message]);
                    Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(_ => Want(1), TaskScheduler.Default);
                }
            });
    }

    /// <summary>One more worker is wanted (a replacement, or a launch to try again): it starts when there is a place.</summary>
    private void Want(int count)
    {
        if (_stopping) return;
        int launches;
        lock (_lock) launches = _admission.Want(count);
        LaunchLater(launches);
    }

    /// <summary>Launches one worker in a place the admission gave; told to join at once if the pool listens already.</summary>
    private void Launch()
    {
        Process? process;
        try { process = StartOne(); }
        catch (WorkerStartException)
        {
            int others;
            lock (_lock) others = _admission.LaunchFailed();
            LaunchLater(others);
            throw;
        }
        IReadOnlyList<Process> told;
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

    /// <summary>Starts a worker process; null when the pool began to stop meanwhile.</summary>
    private Process? StartOne()
    {
        string[] tls = _certificate is { } c ? ["--cert", Path.GetFullPath(c.File)] : [];
        WorkerLaunch launch;
        try { launch = WorkerProcess.Launch; }
        catch (WorkerLaunchException e) { throw new WorkerStartException($"the pool cannot start worker processes: {e.Message}", e); }
        var start = launch.StartInfo(["--join", _join, "--slots", _slotsPerProcess.ToString(), "--parent-pid", Environment.ProcessId.ToString(), "--embedded", .. tls]);
        if (_certificate?.Password is { Length: > 0 } password) start.Environment[WorkerCommand.CertificatePasswordVariable] = password;
        // A budget the user set for the app's processes (the variable is inherited) stays theirs.
        if (_gcGen0Size > 0 && !start.Environment.ContainsKey(Gen0SizeVariable)) start.Environment[Gen0SizeVariable] = _gcGen0Size.ToString("x");
        // The pool's own override reaches its workers through the environment, on top of what this process inherited.
        if (_config is not null)
            start.Environment[PoolConfig.EnvironmentVariable] = Environment.GetEnvironmentVariable(PoolConfig.EnvironmentVariable) + "\n" + _config;

        // Its stderr (its own log lines) goes to the pool's logger, and its last lines say why a worker could not start.
        // Its stdout carries only what bypassed the console its tasks write to (native code): passed on as their output.
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var started = Stopwatch.StartNew();
        // Its output is followed from before it starts: a worker that exits at once must still be heard.
        var errors = WorkerErrorOutput.Attach(process, _log);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text && _taskOutput is not null && TryPid(process) is { } pid)
                _taskOutput.Post(new TaskOutputLine(Environment.MachineName, pid, false, text));
        };
        process.Exited += (_, _) => OnExited(process, started.Elapsed, errors);
        if (_stopping) return null;
        StartProcess(process, launch); // not under the lock: several start at once (under Wine each start takes seconds)
        ProcessTree.Adopt(process); // Windows: it dies with this process, however this one ends
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
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    /// <summary>
    /// Starts <paramref name="process"/>; a refusal is tried twice more a moment later (Wine's CreateProcess fails now and
    /// then with "Internal error" while other processes start or exit), then is a <see cref="WorkerStartException"/>.
    /// </summary>
    private void StartProcess(Process process, WorkerLaunch launch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                process.Start();
                return;
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException or PlatformNotSupportedException)
            {
                if (attempt < 3 && e is System.ComponentModel.Win32Exception)
                {
                    _log.LogDebug("starting a worker process failed ({Reason}); trying again", e.Message);
                    Thread.Sleep(TimeSpan.FromMilliseconds(250 * attempt));
                    continue;
                }
                throw new WorkerStartException($"the pool cannot start a worker process: {launch.Description} did not start: {e.Message}", e);
            }
        }
    }

    private static int? TryPid(Process process)
    {
        try { return process.Id; } catch (InvalidOperationException) { return null; }
    }

    private void OnExited(Process process, TimeSpan lived, WorkerErrorOutput errors)
    {
        int pid;
        try { pid = process.Id; } catch (InvalidOperationException) { return; }
        var wasStarted = _running.TryRemove(pid, out _);
        int launches;
        lock (_lock) launches = _admission.Exited(process, wasStarted);
        LaunchLater(launches);
        ProcessTree.KillGroup(pid); // processes its tasks started die with it, however it ended
        int code;
        try { code = process.ExitCode; } catch (InvalidOperationException) { code = -1; }
        // Its last stderr lines say why a worker could not start; a pool that is stopping needs none, and must not hold a
        // thread per exiting worker waiting for their pipes to close (64 of them starved the thread pool for seconds).
        _onExit(pid, code, _stopping ? [] : errors.LastLines());
        process.Dispose();
        if (_stopping) return;
        // A worker that dies at once every time (a broken install) must not be restarted in a tight loop.
        var failures = lived < TimeSpan.FromSeconds(2) ? Interlocked.Increment(ref _recentFailures) : Interlocked.Exchange(ref _recentFailures, 0);
        if (failures > 5) Thread.Sleep(TimeSpan.FromSeconds(Math.Min(10, failures - 5)));
        Want(1);
    }

    /// <summary>
    /// Stops replacing workers and waits up to <paramref name="grace"/> for them to exit, then kills what is left — all
    /// at once, not one after another: 64 workers stop in the time one takes.
    /// </summary>
    public void StopAll(TimeSpan grace)
    {
        lock (_lock) _stopping = true;
        // Each with its id as it started: a process that exits meanwhile is disposed, and then has no id to ask for.
        var processes = _running.ToList();
        if (grace > TimeSpan.Zero)
        {
            var deadline = DateTime.UtcNow + grace;
            Parallel.ForEach(processes, new ParallelOptions { MaxDegreeOfParallelism = 8 }, process =>
            {
                var left = deadline - DateTime.UtcNow;
                if (left > TimeSpan.Zero) Exited(process.Value, left);
            });
        }
        var stillRunning = processes.Where(p => !Exited(p.Value, TimeSpan.Zero)).ToList();
        if (stillRunning.Count == 0) return;
        ProcessTree.KillWithGroups([.. stillRunning.Select(p => p.Key)]);
        foreach (var process in stillRunning) Exited(process.Value, TimeSpan.FromSeconds(2)); // reaped, so none is left a zombie
    }

    /// <summary>Whether the process has exited within <paramref name="wait"/>; true once it is exited and disposed.</summary>
    private static bool Exited(Process process, TimeSpan wait)
    {
        try { return process.WaitForExit(wait); }
        catch (InvalidOperationException) { return true; } // exited and disposed meanwhile
        // Wine: "Invalid handle" for a process that is exiting. Not known to be gone, so it is killed by its id.
        catch (System.Runtime.InteropServices.ExternalException) { return false; }
    }

    /// <summary>Kills every worker process now.</summary>
    public void Dispose() => StopAll(TimeSpan.Zero);
}
