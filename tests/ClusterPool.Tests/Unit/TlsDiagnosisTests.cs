using System.Net;
using System.Net.Sockets;
using ClusterPool.Contracts.Security;
using ClusterPool.Worker;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>What a worker host with a certificate says about a <c>--join</c> address that answers without TLS.</summary>
public class TlsDiagnosisTests
{
    /// <summary>
    /// An HTTP server (a wrong port) answers a TLS handshake as a pool without a certificate does: the line must not
    /// send the user to restart a pool that is not there, and says it may not be a pool at all.
    /// </summary>
    [Fact]
    public async Task SomethingThatDoesNotSpeakTlsMayNotBeAPoolAtAll()
    {
        using var authority = ClusterCertificates.CreateAuthority("ours", TimeSpan.FromDays(1));
        using var certificate = ClusterCertificates.IssueNode(authority, "ours", TimeSpan.FromDays(1));
        var node = new NodeCertificate(certificate,
            System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(authority.RawData));
        using var http = new TcpListener(IPAddress.Loopback, 0);
        http.Start();
        var answering = AnswerAsHttp(http);
        var port = ((IPEndPoint)http.LocalEndpoint).Port;

        var why = await TlsDiagnosis.WhyRefusedAsync("127.0.0.1", port, node);

        Assert.NotNull(why);
        Assert.Contains($"what answers at 127.0.0.1:{port} does not speak TLS", why);
        Assert.Contains("may not be a ClusterPool pool at all (a wrong --join port?)", why);
        Assert.Contains("PoolOptions.Certificate", why); // the other possibility, still told
        http.Stop();
        await answering;
    }

    /// <summary>
    /// A host without a certificate whose <c>--join</c> port answers in another protocol (an HTTP server) is told that
    /// it is not a pool: it retried for ever, silently.
    /// </summary>
    [Fact]
    public async Task WithoutACertificateSomethingThatAnswersInAnotherProtocolIsNoPool()
    {
        using var http = new TcpListener(IPAddress.Loopback, 0);
        http.Start();
        var answering = AnswerAsHttp(http);
        var port = ((IPEndPoint)http.LocalEndpoint).Port;

        var why = await TlsDiagnosis.WhyRefusedAsync("127.0.0.1", port, node: null);

        Assert.NotNull(why);
        Assert.Contains($"what answers at 127.0.0.1:{port} is not a ClusterPool pool", why);
        http.Stop();
        await answering;
    }

    /// <summary>
    /// A port that accepts the connection and says nothing: silence tells nothing about TLS (a busy pool is as silent),
    /// so the check has no verdict; the host tells a silent port apart itself. It said "does not speak TLS", and a host
    /// with a certificate gave up on a busy pool.
    /// </summary>
    [Fact]
    public async Task APortThatSaysNothingGetsNoVerdict()
    {
        using var authority = ClusterCertificates.CreateAuthority("ours", TimeSpan.FromDays(1));
        using var certificate = ClusterCertificates.IssueNode(authority, "ours", TimeSpan.FromDays(1));
        var node = new NodeCertificate(certificate,
            System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(authority.RawData));
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // the kernel accepts the connection; nothing reads it
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;

        Assert.Null(await TlsDiagnosis.WhyRefusedAsync("127.0.0.1", port, node, TimeSpan.FromSeconds(1)));
        Assert.Null(await TlsDiagnosis.WhyRefusedAsync("127.0.0.1", port, node: null, TimeSpan.FromSeconds(1)));
    }

    /// <summary>Answers one connection as <c>python3 -m http.server</c> answers a TLS handshake, and closes it.</summary>
    private static async Task AnswerAsHttp(TcpListener listener)
    {
        try
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            _ = await stream.ReadAsync(new byte[4096]); // the client's hello, whatever part of it has come
            await stream.WriteAsync("HTTP/1.0 400 Bad request\r\nConnection: close\r\n\r\n"u8.ToArray());
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException) { }
    }
}
