using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ClusterPool.Contracts.Security;

namespace ClusterPool.Worker;

/// <summary>
/// Why a worker host that reaches its pool's port is not welcomed: it opens one TLS connection of its own to the port
/// and sees whether the pool speaks TLS, whether the pool's certificate comes from this host's cluster authority, and
/// whether the pool accepts this host's certificate. Null when nothing is wrong with TLS (the pool may just be slow),
/// and when nothing answers at all: silence says nothing about TLS (<see cref="WorkerHost"/> tells a silent port
/// apart).
/// </summary>
internal static class TlsDiagnosis
{
    /// <summary>How long the check waits for the connection and the pool's side of the handshake, by
    /// default.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Why this host cannot join the pool at <paramref name="host"/>:<paramref name="port"/>, or
    /// null.</summary>
    /// <param name="host">The pool's host (<c>--join</c>).</param>
    /// <param name="port">The pool's port.</param>
    /// <param name="node">This host's certificate, or null for plain text.</param>
    /// <param name="wait">How long to wait for the pool's answer (<see cref="Timeout"/> if null).</param>
    public static async Task<string?> WhyRefusedAsync(string host, int port, NodeCertificate? node,
        TimeSpan? wait = null)
    {
        using var client = new TcpClient();
        using var cancel = new CancellationTokenSource(wait ?? Timeout);
        try { await client.ConnectAsync(host, port, cancel.Token); }
        catch (Exception) { return null; } // not reachable now: not a TLS question

        X509Certificate2? poolCertificate = null;
        var answer = new AnswerWatch(client.GetStream());
        using var tls = new SslStream(answer, leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            poolCertificate = certificate is null ? null : X509CertificateLoader.LoadCertificate(
                certificate.GetRawCertData());
            return true; // judged below, against this host's own authority
        });
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ClientCertificates = node is null ? null : [node.Certificate],
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        try
        {
            await tls.AuthenticateAsClientAsync(options, cancel.Token);
            // The handshake finished on our side; a pool that did not like our certificate closes the connection right
            // after (TLS 1.3 checks the client last). One that did waits for us to speak: we say nothing and leave.
            var buffer = new byte[1];
            using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try { if (await tls.ReadAsync(buffer, quiet.Token) == 0 && node is not null) return RefusedOurs(node); }
            catch (OperationCanceledException) { }
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            // Not a byte back, and the connection still open: a port that says nothing (or a pool too busy to answer
            // in time) tells nothing about TLS. Taken for "does not speak TLS", a busy pool's host gave up on it.
            if (e is OperationCanceledException && !answer.Answered) return null;
            if (poolCertificate is null)
                return node is null
                    // A pool without TLS closes the connection without a byte (plain text is all it reads); bytes of
                    // another protocol come from another program: an HTTP server, SSH, on a port given by mistake.
                    // A TLS pool that wants a certificate may end the handshake before ours sees its certificate.
                    ? answer.SpokeTls ? RequiresTls(host, port, null)
                    : answer.Answered
                        ? $"what answers at {host}:{port} is not a ClusterPool pool: it answers in another protocol " +
                          "(an HTTP server, SSH, another program on a port given by mistake?): check --join"
                        : null // neither side speaks TLS: the worker's plain text is not the problem
                    // Anything that listens there answers a TLS handshake so: an HTTP server, SSH, another program
                    // on a port given by mistake, as well as a pool without a certificate.
                    : $"what answers at {host}:{port} does not speak TLS, and this host was started with --cert: it " +
                        "may not be a ClusterPool pool at all (a wrong --join port?), or it is a pool started " +
                        "without a certificate (start it with the same one: PoolOptions.Certificate)";
            if (node is not null && PeerValidation.Problem(poolCertificate, node.Authority) is null) return RefusedOurs(
                node);
        }
        if (poolCertificate is null) return null;
        if (node is null) return RequiresTls(host, port, poolCertificate);
        return PeerValidation.Problem(poolCertificate, node.Authority) is { } problem
            ? $"the pool at {host}:{port} is not of this host's cluster: {problem}"
            : null;
    }

    private static string RequiresTls(string host, int port, X509Certificate2? poolCertificate) =>
        $"the pool at {host}:{port} requires TLS" +
        (poolCertificate is null ? "" : $" (its certificate: {poolCertificate.Subject})") +
        ": start this host with --cert node.pfx, the node certificate of that pool's cluster";

    /// <summary>The connection's stream, noting whether the other side sent anything, and whether TLS.</summary>
    private sealed class AnswerWatch(Stream inner) : Stream
    {
        private readonly byte[] _first = new byte[2];
        private int _firstRead;

        public bool Answered => _firstRead > 0;

        /// <summary>The first bytes that came are a TLS record's: its type (20-24), then major version 3.</summary>
        public bool SpokeTls => _firstRead == 2 && _first[0] is >= 20 and <= 24 && _first[1] == 3;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            Saw(buffer.AsSpan(offset), inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel = default)
        {
            var read = await inner.ReadAsync(buffer, cancel).ConfigureAwait(false);
            return Saw(buffer.Span, read);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancel) =>
            ReadAsync(buffer.AsMemory(offset, count), cancel).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancel = default) =>
            inner.WriteAsync(buffer, cancel);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancel) =>
            inner.WriteAsync(buffer, offset, count, cancel);

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancel) => inner.FlushAsync(cancel);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        private int Saw(ReadOnlySpan<byte> buffer, int read)
        {
            for (var i = 0; i < read && _firstRead < _first.Length; i++) _first[_firstRead++] = buffer[i];
            return read;
        }
    }

    // Two clusters made on one machine with default names have authorities of the same name: the thumbprint (as
    // `clusterpool cert show` prints it) tells them apart.
    private static string RefusedOurs(NodeCertificate node) =>
        $"the pool refused this host's certificate {node.Certificate.Subject} (issued by {node.Certificate.Issuer}, " +
            $"key id {CertificateKeyIds.IssuerKey(node.Certificate) ?? "none"}, thumbprint " +
            $"{node.Authority.Thumbprint}; valid until {node.Certificate.NotAfter:yyyy-MM-dd}): it is not of the " +
            "pool's cluster; use the node.pfx the pool's certificate came with";
}
