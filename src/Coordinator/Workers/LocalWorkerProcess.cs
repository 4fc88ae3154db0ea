using System.Diagnostics;
using ClusterPool.Contracts;
using ClusterPool.Output;
using ClusterPool.Contracts.Launch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterPool.Workers;

/// <summary>
/// One worker process this process started, and whom it reports to: the pool that runs it or, while it waits as a
/// spare for the program's next pool, no one (<see cref="SpareWorkers"/>). Its stderr (its own log lines) goes to the
/// owner's logger, and its last lines say why a worker could not start; its stdout carries only what bypassed the
/// console its tasks write to (native code), passed on as their output. Its stdin is a pipe from this process: when
/// this process dies, even by <c>kill -9</c>, the pipe closes and the worker exits by itself.
/// </summary>
internal sealed class LocalWorkerProcess
{
    /// <summary>Where a worker process reports: its pool's logger, its tasks' output, and who hears of its
    /// exit.</summary>
    public sealed record Owner(ILogger Log, TaskOutputSink? TaskOutput, Action<LocalWorkerProcess> Exited)
    {
        /// <summary>A waiting spare's (no pool yet): its stderr lines are kept (the pool that adopts it may need them),
        /// its exit is noted.</summary>
        public static Owner Waiting(Action<LocalWorkerProcess> exited) => new(NullLogger.Instance, null, exited);
    }

    private readonly Process _process;
    private readonly WorkerErrorOutput _errors;
    private readonly Stopwatch _age = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private Owner _owner;
    private bool _exited;
    private int _exitCode = -1;
    private RuntimeLeftovers _leftovers;
    private readonly TaskCompletionSource _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Set once Start has taken its streams: its exit is reported only then, as the owner may release it at once (a
    // released process's streams can no longer be taken).
    private readonly TaskCompletionSource _followed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LocalWorkerProcess(Process process, Owner owner)
    {
        _process = process;
        _owner = owner;
        _errors = WorkerErrorOutput.Attach(process, () => _owner.Log);
    }

    /// <summary>Its process id.</summary>
    public int Id { get; private set; }

    /// <summary>Whether its exit has been seen.</summary>
    public bool HasExited
    {
        get { lock (_lock) return _exited; }
    }

    /// <summary>How long since it was launched.</summary>
    public TimeSpan Age => _age.Elapsed;

    /// <summary>Its exit code, or -1 while it runs (or when it cannot be read).</summary>
    public int ExitCode
    {
        get { lock (_lock) return _exitCode; }
    }

    /// <summary>The CPU time it has used so far (zero once it has exited).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            lock (_lock)
            {
                if (_exited) return TimeSpan.Zero; // and its owner may release the Process now
                try
                {
                    _process.Refresh();
                    return _process.TotalProcessorTime;
                }
                catch (Exception e) when (
                    e is InvalidOperationException or System.ComponentModel.Win32Exception
                        or NotSupportedException) { return TimeSpan.Zero; }
            }
        }
    }

    /// <summary>Its last stderr lines (up to 12), once the stream has ended or five seconds have passed.</summary>
    public Task<IReadOnlyList<string>> LastErrorLinesAsync() => _errors.LastLinesAsync(TimeSpan.FromSeconds(5));

    /// <summary>
    /// Starts a worker process with <paramref name="start"/> (stdin, stdout and stderr redirected); a refusal is tried
    /// twice more a moment later (Wine's CreateProcess fails now and then with "Internal error" while other processes
    /// start or exit), then is a <see cref="WorkerStartException"/> that names <paramref name="launch"/>.
    /// </summary>
    public static LocalWorkerProcess Start(WorkerLaunch launch, ProcessStartInfo start, Owner owner, ILogger log)
    {
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new LocalWorkerProcess(process, owner);
        process.Exited += (_, _) => worker.OnExited();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                process.Start();
                break;
            }
            catch (Exception e) when (
                e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException
                    or PlatformNotSupportedException)
            {
                if (attempt < 3 && e is System.ComponentModel.Win32Exception)
                {
                    log.LogDebug("starting a worker process failed ({Reason}); trying again", e.Message);
                    Thread.Sleep(TimeSpan.FromMilliseconds(250 * attempt));
                    continue;
                }
                throw new WorkerStartException(
                    $"the pool cannot start a worker process: {launch.Description} did not start: {e.Message}", e);
            }
        }
        try
        {
            worker.Id = process.Id;
            worker._leftovers = RuntimeLeftovers.Of(process.Id);
            ProcessTree.Adopt(process); // Windows: it dies with this process, however this one ends
            // What it wrote before this point waits in the pipes: a worker that exits at once is still heard.
            worker._errors.Follow();
            ChildProcessLines.Follow(process.StandardOutput, "clusterpool-worker-stdout", line =>
            {
                if (line is not null && worker._owner.TaskOutput is { } output)
                    output.Post(new TaskOutputLine(Environment.MachineName, worker.Id, false, line));
            });
        }
        finally { worker._followed.TrySetResult(); }
        return worker;
    }

    /// <summary>
    /// Hands it to <paramref name="owner"/> (a pool adopting a spare). False when it has exited already: then no one
    /// owns it and the caller starts another.
    /// </summary>
    public bool HandTo(Owner owner)
    {
        lock (_lock)
        {
            if (_exited) return false;
            _owner = owner;
            return true;
        }
    }

    /// <summary>Writes <paramref name="line"/> on its stdin; false if it has exited.</summary>
    public bool Tell(string line)
    {
        try
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
            return true;
        }
        catch (Exception e) when (
            e is IOException or InvalidOperationException
                or ObjectDisposedException) { return false; /* its exit is seen */ }
    }

    /// <summary>
    /// Whether its exit is seen within <paramref name="wait"/>, without holding a thread while it waits (nor waiting
    /// for its output pipes, which a process its task started may still hold). Waits on this object's own signal, not
    /// on the <see cref="Process"/>: its owner releases that at its exit, and .NET's wait on a Process disposed
    /// meanwhile threw a NullReferenceException (a spare killed at the program's exit ended the program with code
    /// 134).
    /// </summary>
    public async Task<bool> WaitForExitAsync(TimeSpan wait)
    {
        try
        {
            await _exit.Task.WaitAsync(wait).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException) { return false; }
    }

    /// <summary>
    /// Kills those of <paramref name="processes"/> whose exit has not been seen, with the processes their tasks
    /// started, all at once, and waits up to 2 s for their exits to be handled (reaped, so none is left a zombie). One
    /// that has exited is not killed by its id: the id may be another process's by now.
    /// </summary>
    public static async Task KillAsync(IEnumerable<LocalWorkerProcess> processes)
    {
        var running = processes.Where(p => !p.HasExited).ToList();
        if (running.Count == 0) return;
        ProcessTree.KillWithGroups([.. running.Select(p => p.Id)]);
        await Task.WhenAll(running.Select(p => p.WaitForExitAsync(TimeSpan.FromSeconds(2)))).ConfigureAwait(false);
    }

    private void OnExited()
    {
        try
        {
            _followed.Task.Wait(); // Start is past process.Start(): a moment at most
            // Read here, before anyone can release it: the exit code is read from this object from now on.
            int code;
            try { code = _process.ExitCode; } catch (InvalidOperationException) { code = -1; }
            Owner owner;
            lock (_lock)
            {
                (_exited, _exitCode) = (true, code);
                owner = _owner;
            }
            ProcessTree.KillGroup(Id); // processes its tasks started die with it, however it ended
            _leftovers.Remove(); // a pool stops its workers by killing them
            owner.Exited(this);
        }
        finally { _exit.TrySetResult(); } // whoever waits for its exit is not left waiting
    }

    /// <summary>Releases the process handle, only after its exit was reported. Its CPU time is read under the same
    /// lock: .NET's Process is not safe to read while another thread disposes it. <see cref="Tell"/> writes outside it
    /// (a write into a full pipe blocks), and only catches what a released stream throws. Why only after the exit:
    /// .NET runs the Exited handler holding the Process's own lock, which Dispose takes too, and the handler takes
    /// this object's lock; a Dispose under this lock before then could deadlock with it (an SSH session's did).
    /// </summary>
    public void Release()
    {
        Debug.Assert(HasExited, "a worker process is released only after its exit was reported");
        lock (_lock) _process.Dispose();
    }
}
