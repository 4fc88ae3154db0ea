using System.Net.Security;
using ClusterPool.Contracts.Security;
using ClusterPool.Worker;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// A pool's one-time cluster, made in memory and handed to a remote worker host as bytes (CLUSTERPOOL_CERT_PFX, base64):
/// the bytes load as a node and its authority that the cluster's TLS accepts, another one-time cluster's node is
/// refused, and a missing or broken variable is an error that names the variable and never shows its content.
/// </summary>
public class OneTimeCertificateTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public void ANewOneTimeNodeLoadsFromItsBytesAsANodeAndItsAuthorityThatTheClustersTlsAccepts()
    {
        var bytes = ClusterCertificates.NewOneTimeNode("pool-1", Day);
        var node = ClusterCertificates.LoadNode(bytes, null, "the test's bytes");
        Assert.True(node.Certificate.HasPrivateKey);
        Assert.False(ClusterCertificates.IsAuthority(node.Certificate));
        Assert.True(ClusterCertificates.IsAuthority(node.Authority));
        Assert.False(node.Authority.HasPrivateKey); // the authority's key is gone: no other node of it can be issued
        Assert.Contains("pool-1", node.Certificate.Subject);
        Assert.True(node.Certificate.NotAfter > DateTime.Now.AddHours(23) && node.Certificate.NotAfter <= DateTime.Now.AddDays(1));

        // What every connection of the cluster checks, on both sides (ClusterTls's validator): the node passes, and so
        // does the same node loaded again from the same bytes (the pool's copy and the remote host's are the same file).
        var refused = new List<string>();
        var validator = ClusterTls.Setup(node, (peer, why) => refused.Add($"{peer}: {why}")).CustomValidator!;
        Assert.True(validator(node.Certificate, null!, "127.0.0.1:1", SslPolicyErrors.None, null!));
        var again = ClusterCertificates.LoadNode(Convert.FromBase64String(Convert.ToBase64String(bytes)), null, "a copy");
        Assert.True(validator(again.Certificate, null!, "127.0.0.1:2", SslPolicyErrors.None, null!));
        Assert.Empty(refused);

        // Another pool's one-time cluster: refused both ways.
        var other = ClusterCertificates.LoadNode(ClusterCertificates.NewOneTimeNode("pool-2", Day), null, "other");
        Assert.False(validator(other.Certificate, null!, "10.0.0.9:3", SslPolicyErrors.None, null!));
        Assert.Contains("not by this cluster's authority", Assert.Single(refused));
        Assert.NotNull(PeerValidation.Problem(node.Certificate, other.Authority));
    }

    [Fact]
    public void WriteNewAndNewOneTimeNodeWriteTheSameKindOfNodeFile()
    {
        var folder = Directory.CreateTempSubdirectory("clusterpool-one-time-").FullName;
        try
        {
            var file = ClusterCertificates.LoadNode(ClusterCertificates.WriteNew(folder, "filed", Day, null), null);
            var memory = ClusterCertificates.LoadNode(ClusterCertificates.NewOneTimeNode("filed", Day), null, "bytes");
            Assert.Equal(file.Certificate.Subject, memory.Certificate.Subject);
            Assert.Equal(file.Authority.Subject, memory.Authority.Subject);
            Assert.Equal(file.Certificate.Extensions.Select(e => e.Oid!.Value), memory.Certificate.Extensions.Select(e => e.Oid!.Value));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void BytesThatAreNoNodeFileAreRefusedNamingWhereTheyCameFrom()
    {
        var error = Assert.Throws<ClusterCertificateException>(() => ClusterCertificates.LoadNode([1, 2, 3], null, "the bytes from nowhere"));
        Assert.StartsWith("the bytes from nowhere is not a readable node certificate", error.Message);
        // An authority alone, no node: named too.
        using var authority = ClusterCertificates.CreateAuthority("lonely", Day);
        var lonely = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(authority.RawData)
            .Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12);
        Assert.StartsWith("the lonely bytes holds no node certificate",
            Assert.Throws<ClusterCertificateException>(() => ClusterCertificates.LoadNode(lonely, null, "the lonely bytes")).Message);
    }

    public static TheoryData<string?, string> BrokenVariables => new()
    {
        { null, "is not set" },
        { "", "is not set" },
        { "  ", "is not set" },
        { "this is not base64!", "is not base64" },
        { Convert.ToBase64String("not a certificate at all"u8.ToArray()), "is not a readable node certificate" },
    };

    [Theory]
    [MemberData(nameof(BrokenVariables))]
    public void AMissingOrBrokenVariableIsAnErrorThatNamesItAndNotItsContent(string? value, string says)
    {
        var message = Assert.Throws<ClusterCertificateException>(() => WorkerCertificate.FromVariable(value, null)).Message;
        Assert.Contains("the environment variable CLUSTERPOOL_CERT_PFX", message);
        Assert.Contains(says, message);
        if (!string.IsNullOrWhiteSpace(value)) Assert.DoesNotContain(value.Trim(), message);
    }

    [Fact]
    public void TheVariableLoadsAsTheNodeItHolds()
    {
        var bytes = ClusterCertificates.NewOneTimeNode("env", Day);
        var node = WorkerCertificate.FromVariable(Convert.ToBase64String(bytes) + "\n", null);
        Assert.Equal(ClusterCertificates.LoadNode(bytes, null, "bytes").Certificate.Thumbprint, node.Certificate.Thumbprint);
        Assert.Equal("the environment variable CLUSTERPOOL_CERT_PFX", WorkerCertificate.Source(new WorkerOptions("h:1", 1, null, null, 0, null, null) { CertificateFromEnvironment = true }));
    }
}
