using Akka.Actor;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Launch;

namespace ClusterPool.Worker;

/// <summary>
/// Why a worker host that reaches its pool's address gets no welcome, told apart while it registers: TLS certificates
/// that do not belong together (<see cref="TlsDiagnosis"/>), a ClusterPool node there that runs no pool, or a port that
/// accepts connections where nothing answers. Each ends the host with a line that says which, and exit code 77.
/// </summary>
internal sealed partial class WorkerHost
{
    private sealed record Diagnosed(string? Why);

    /// <summary>How long a host whose pool's port answers waits for its welcome before it checks why none
    /// comes.</summary>
    private static readonly TimeSpan DiagnoseAfter = TimeSpan.FromSeconds(4);

    /// <summary>
    /// The same for a host without a certificate: its check (a TLS hello) makes a plain-text pool log an error, so it
    /// waits longer, for what is then surely not a slow start.
    /// </summary>
    private static readonly TimeSpan DiagnoseAfterWithoutTls = TimeSpan.FromSeconds(8);

    /// <summary>
    /// How long a ClusterPool node at the pool's address may answer that it runs no pool before the host says it is
    /// not one (a pool has its coordinator within moments of listening, and until its last moment).
    /// </summary>
    private static readonly TimeSpan NoPoolAfter = TimeSpan.FromSeconds(5);

    private bool _diagnosing;
    private DateTime? _answeredSince;
    private DateTime? _listeningSince;
    private bool _nodeAnswered;
    private bool _diagnosedSinceListening;
    private DateTime? _noPoolSince;

    /// <summary>
    /// The pool's port has accepted connections for <see cref="Settings.JoinAnswerTimeout"/>, yet no ClusterPool node
    /// answered there: another program that reads and says nothing, a forwarded port with nothing behind it, a stopped
    /// process. A pool, however busy, answers Akka's handshake within moments of listening.
    /// </summary>
    private bool Unanswered => !_nodeAnswered && !_settings.Embedded
        && DateTime.UtcNow - _listeningSince > _settings.JoinAnswerTimeout;

    /// <summary>Asks the pool's port, with a TLS connection of this host's own, why no welcome comes.</summary>
    private void Diagnose()
    {
        _diagnosing = true;
        var (host, port) = (_settings.Coordinator.Host!, _settings.Coordinator.Port!.Value);
        // No longer than the host waits for an answer at all: silence is all a silent port gives.
        var wait = _settings.JoinAnswerTimeout < TlsDiagnosis.Timeout
            ? _settings.JoinAnswerTimeout
            : TlsDiagnosis.Timeout;
        TlsDiagnosis.WhyRefusedAsync(host, port, _settings.Certificate, wait).ContinueWith(
            t => new Diagnosed(t.IsCompletedSuccessfully ? t.Result : null))
            .PipeTo(Self);
    }

    private void SayNothingAnswered()
    {
        var (host, port) = (_settings.Coordinator.Host, _settings.Coordinator.Port);
        ProcessConsole.Error.WriteLine(
            $"clusterpool worker: cannot join: nothing at {host}:{port} answered as a ClusterPool coordinator: its " +
            $"port accepts connections, but no answer to this host's handshake came in " +
            $"{_settings.JoinAnswerTimeout.TotalSeconds:0.#} s (clusterpool.worker.join-answer-timeout). Check that " +
            "--join is the pool's address (its PoolOptions.ListenAddress, or `demo --listen`), not another " +
            "program's port, and that the pool's process is running (not stopped or hung)");
        StopProcess(WorkerExitCode.Refused);
    }

}
