using ClusterPool.Contracts.Launch;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ClusterPool.Contracts;

namespace ClusterPool.Worker;

/// <summary>
/// A worker host started by hand (<c>clusterpool-worker --join</c>) keeps itself in the pool: it runs the actual host
/// as a child process and starts a fresh one when that one retires (<c>MaxTasksPerChild</c>, <c>MaxMemoryPerChild</c>),
/// is recycled to stop a stuck task, dies (out of memory, <c>kill -9</c>), or was cut off from a coordinator that may
/// come back. It exits when the pool tells its host to stop, when the coordinator is gone for good, or on
/// Ctrl+C/SIGTERM; with <c>--exit-with-stdin</c> (a host whose starter holds its stdin: a script, a scheduler) also
/// when its own stdin reaches end-of-file. A pool that starts a host over SSH runs it without a supervisor (it starts
/// the host again itself). The child holds a pipe from this process as its stdin, so it never outlives it.
/// </summary>
internal static class WorkerSupervisor
{
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromSeconds(2);
    // Longer than the pool's shutdown grace (5 s by default), in which the host finishes its running tasks, plus its
    // leave.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(WorkerOptions options, string joinHost, int joinPort,
        WorkerSettings settings)
    {
        var rejoinFor = settings.RejoinFor;
        using var stop = new CancellationTokenSource();
        var signal = 0;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            signal = context.Signal == PosixSignal.SIGINT ? 130 : WorkerExitCode.Stopped;
            stop.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        // A host that cannot join (TLS certificates that do not belong together) says why and exits at once, instead of
        // retrying for ever: checked before each start, whenever the pool's port answers.
        var certificate = WorkerCertificate.Load(options);
        if (certificate?.NotValidNow() is { } invalid)
            return Exit(WorkerExitCode.Refused,
                $"this host's {invalid}: make new ones with `clusterpool cert new` (docs/security.md)");
        var children = new SupervisedChild();
        var (exitCode, reason) = await (options.ExitWithStdin ? SuperviseWithLifeline() : Supervise());
        return Exit(exitCode, reason);

        // The lifeline: whoever started this host (a pool, over SSH) holds its stdin; at end-of-file it is gone, or
        // has told the host to stop already: the child is killed at once, and the lifeline's is the only exit line.
        // Lines before it are ignored (reserved for the pool).
        async Task<(int Code, string Why)> SuperviseWithLifeline()
        {
            var lifeline = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            StdinWatch.Start("lifeline-stdin", _ => { }, error => lifeline.TrySetResult(error is null
                ? "its stdin reached end-of-file (the session that started it ended)"
                : $"its stdin cannot be read ({error.Message}), so it cannot tell whether the session that started " +
                  "it is still there"));
            var supervising = Supervise();
            if (await Task.WhenAny(supervising, lifeline.Task) == supervising) return await supervising;
            children.Close();
            return (WorkerExitCode.LifelineClosed, await lifeline.Task);
        }

        // Until an exit: the code, and why.
        async Task<(int Code, string Why)> Supervise()
        {
            var quickDeaths = 0;
            DateTime? cutOffSince = null;
            // the first host says it joined, and so does the first after a rejoin; not every recycled one
            var announce = true;
            while (true)
            {
                var start = WorkerProcess.StartInfo(ChildArguments(options, announce));
                // The certificate's password travels in the environment, not on the command line where `ps` shows
                // it (and a certificate from the environment is inherited from this process's).
                if (options.CertificatePassword is { } password) start.Environment[
                    WorkerCommandLine.CertificatePasswordVariable] = password;
                WorkerEnvironment.Prepare(start.Environment, settings.GcGen0Size);
                using var child = children.Start(start);
                if (child is null) return (WorkerExitCode.LifelineClosed, ""); // the lifeline closed: it says why
                ProcessTree.Adopt(child);
                announce = false;
                var started = Stopwatch.StartNew();
                try { await child.WaitForExitAsync(stop.Token); }
                catch (OperationCanceledException)
                {
                    await StopChild(child);
                    children.Exited();
                    if (children.Closed) return (WorkerExitCode.LifelineClosed, ""); // the lifeline's exit
                    ProcessTree.KillGroup(child.Id);
                    return (signal, signal == 130 ? "stopped by Ctrl+C" : "stopped by SIGTERM");
                }
                children.Exited();
                if (children.Closed) return (WorkerExitCode.LifelineClosed, ""); // killed by the lifeline: it says why

                ProcessTree.KillGroup(child.Id); // processes its tasks started die with it
                var code = child.ExitCode;
                // A host that ended soon without being told to stop, while its pool answers: certificates that do not
                // belong together (another cluster's, none, plain text against TLS) end every attempt the same way.
                // Say so and stop.
                if (code is not (WorkerExitCode.Stopped or WorkerExitCode.Recycle or WorkerExitCode.Refused
                        or WorkerExitCode.PoolRestarted)
                    && started.Elapsed < TimeSpan.FromSeconds(30) &&
                    await CoordinatorProbe.CheckAsync(joinHost, joinPort, ProbeEvery) == ProbeResult.Answered &&
                    await TlsDiagnosis.WhyRefusedAsync(joinHost, joinPort, certificate) is { } why)
                {
                    Say($"cannot join: {why}");
                    return (WorkerExitCode.Refused, "this host and the pool do not share a cluster certificate");
                }
                if (code == WorkerExitCode.Stopped) return (code, $"the pool at {options.Join} closed");
                if (code == WorkerExitCode.CoordinatorGone) return (
                    code, $"the pool at {options.Join} is gone (its port refuses connections)");
                if (code == WorkerExitCode.Refused) return (
                    code, "the pool refused this host, or this host the pool, or no pool answers at " +
                    $"{options.Join} (the line above says why)");
                if (started.Elapsed > TimeSpan.FromSeconds(30)) (quickDeaths, cutOffSince) = (0, null);
                if (code == WorkerExitCode.PoolRestarted)
                {
                    // The old pool's cluster is over: a fresh host joins the new one (and says so); no tight loop.
                    if (++quickDeaths > 5) return (code, $"the pool at {options.Join} kept changing");
                    Say($"another pool answers at {options.Join} (the pool was started again): joining it");
                    (announce, cutOffSince) = (true, null);
                    continue;
                }
                if (code == WorkerExitCode.LostContact)
                {
                    cutOffSince ??= DateTime.UtcNow;
                    Say($"cut off from the pool at {options.Join}; rejoining when it answers (for up to {rejoinFor})");
                    var answer = await WaitForCoordinator(joinHost, joinPort, cutOffSince.Value + rejoinFor,
                        stop.Token);
                    if (answer is null) return (signal, "stopped by a signal while cut off");
                    if (answer == ProbeResult.Refused) return (
                        WorkerExitCode.CoordinatorGone,
                        $"the pool at {options.Join} is gone (its port refuses connections)");
                    if (answer == ProbeResult.NoAnswer)
                        return (
                            WorkerExitCode.LostContact,
                            $"cut off from the pool at {options.Join} for longer than clusterpool.worker.rejoin-for " +
                            $"({rejoinFor})");
                    announce = true;
                    continue;
                }
                if (code != WorkerExitCode.Recycle)
                {
                    // Anything else (killed, crashed): start again, but not in a tight loop when it dies at once every
                    // time.
                    if (code is 1 or 2 || ++quickDeaths > 5)
                        return (
                            code, "the worker host failed (exit code " +
                            $"{code}{(quickDeaths > 5 ? ", again and again" : "")}); the lines above say why");
                    Say($"the worker host exited with code {code}; starting a new one");
                }
            }
        }
    }

    /// <summary>A line of this host's own on stderr.</summary>
    private static void Say(string text) => Console.Error.WriteLine($"clusterpool worker: {text}");

    /// <summary>Says why the host exits, once, and returns its exit code.</summary>
    private static int Exit(int code, string why)
    {
        Say($"exiting: {why}");
        return code;
    }

    /// <summary>Waits until the coordinator's port answers or refuses, or the deadline passes (NoAnswer); null when
    /// stopped.</summary>
    private static async Task<ProbeResult?> WaitForCoordinator(
        string host, int port, DateTime deadline, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var result = await CoordinatorProbe.CheckAsync(host, port, ProbeEvery);
            if (result != ProbeResult.NoAnswer || DateTime.UtcNow >= deadline) return result;
            try { await Task.Delay(ProbeEvery, stop); }
            catch (OperationCanceledException) { return null; }
        }
        return null;
    }

    /// <summary>SIGTERM: the host leaves the cluster gracefully (its tasks run elsewhere at once); killed if it takes
    /// too long.</summary>
    private static async Task StopChild(Process child)
    {
        if (!OperatingSystem.IsWindows() && !child.HasExited) _ = Kill(child.Id, 15);
        using var grace = new CancellationTokenSource(StopGrace);
        try { await child.WaitForExitAsync(grace.Token); }
        catch (OperationCanceledException) { child.Kill(entireProcessTree: true); }
    }

    private static IEnumerable<string> ChildArguments(WorkerOptions options, bool announce)
    {
        if (announce) yield return WorkerCommandLine.AnnounceJoin;
        yield return WorkerCommandLine.Join;
        yield return options.Join;
        yield return WorkerCommandLine.Slots;
        yield return options.Slots.ToString();
        yield return WorkerCommandLine.Port;
        yield return options.Port.ToString();
        yield return WorkerCommandLine.ParentPid;
        yield return Environment.ProcessId.ToString();
        (string Name, string? Value)[] files =
        [
            (WorkerCommandLine.App, options.App), (WorkerCommandLine.Host, options.Host),
            (WorkerCommandLine.Config, options.ConfigFile), (WorkerCommandLine.Certificate, options.CertificateFile),
        ];
        // the certificate itself comes in this process's environment, which the child inherits
        if (options.CertificateFromEnvironment) yield return WorkerCommandLine.CertificateFromEnvironment;
        foreach (var (name, value) in files)
        {
            if (value is null) continue;
            yield return name;
            yield return Path.Exists(value) ? Path.GetFullPath(value) : value;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
