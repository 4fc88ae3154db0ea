using ClusterPool.Contracts.Security;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>Only node certificates of this cluster's own authority, valid now, pass.</summary>
public class PeerValidationTests
{
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);

    [Fact]
    public void ANodeOfTheClusterPassesAndEverythingElseIsRefusedSayingWhy()
    {
        using var authority = ClusterCertificates.CreateAuthority("ours", Year);
        using var node = ClusterCertificates.IssueNode(authority, "ours", Year);
        using var otherAuthority = ClusterCertificates.CreateAuthority("theirs", Year);
        using var otherNode = ClusterCertificates.IssueNode(otherAuthority, "theirs", Year);
        using var expired = ClusterCertificates.IssueNode(authority, "ours", new DateTimeOffset(authority.NotBefore), new DateTimeOffset(authority.NotBefore).AddMinutes(1)) /* expired 4 minutes ago */;
        using var publicAuthority = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(authority.RawData);

        Assert.Null(PeerValidation.Problem(node, publicAuthority));
        Assert.Contains("not by this cluster's authority", PeerValidation.Problem(otherNode, publicAuthority));
        Assert.Contains("is not valid now", PeerValidation.Problem(expired, publicAuthority));
        Assert.Contains("not a node certificate", PeerValidation.Problem(publicAuthority, publicAuthority));
        Assert.Equal("the peer presented no certificate", PeerValidation.Problem(null, publicAuthority));
    }

    /// <summary>
    /// Two clusters made on one machine with the default names: both authorities are "CN=ClusterPool cluster CA vm".
    /// The refusal must say what tells them apart (the key ids and the thumbprint clusterpool cert show prints), not
    /// "issued by X, not by X".
    /// </summary>
    [Fact]
    public void ANodeOfAnotherAuthorityOfTheSameNameIsToldApartByKeyIdAndThumbprint()
    {
        using var authority = ClusterCertificates.CreateAuthority("vm", Year);
        using var otherAuthority = ClusterCertificates.CreateAuthority("vm", Year);
        using var otherNode = ClusterCertificates.IssueNode(otherAuthority, "vm", Year);
        using var publicAuthority = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(authority.RawData);
        Assert.Equal(authority.Subject, otherAuthority.Subject);

        var problem = PeerValidation.Problem(otherNode, publicAuthority)!;

        Assert.Contains($"was issued by CN=ClusterPool cluster CA vm (key id {CertificateKeyIds.OwnKey(otherAuthority)}), not by " +
            $"this cluster's authority CN=ClusterPool cluster CA vm (key id {CertificateKeyIds.OwnKey(authority)}, thumbprint " +
            $"{authority.Thumbprint})", problem);
        Assert.Contains("another authority of the same name", problem);
        Assert.NotEqual(CertificateKeyIds.OwnKey(authority), CertificateKeyIds.OwnKey(otherAuthority));
        Assert.Equal(CertificateKeyIds.OwnKey(otherAuthority), CertificateKeyIds.IssuerKey(otherNode));
    }

    [Fact]
    public void TheFilesOfCertNewLoadAsANodeWithItsAuthorityAndAreNeverOverwritten()
    {
        var folder = Directory.CreateTempSubdirectory("clusterpool-cert-").FullName;
        try
        {
            var node = ClusterCertificates.WriteNew(folder, "unit", Year, password: "secret");
            var loaded = ClusterCertificates.LoadNode(node, "secret");
            Assert.True(loaded.Certificate.HasPrivateKey);
            Assert.False(loaded.Authority.HasPrivateKey); // the authority's key stays in cluster-ca.key, not on every node
            Assert.Null(PeerValidation.Problem(loaded.Certificate, loaded.Authority));
            if (!OperatingSystem.IsWindows()) // owner-only files: Unix permissions (Windows has ACLs, not checked here)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(node));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, ClusterCertificates.AuthorityKeyFile)));
            }
            Assert.Throws<IOException>(() => ClusterCertificates.WriteNew(folder, "unit", Year, null));
            Assert.Contains("is not a readable node certificate", Assert.Throws<ClusterCertificateException>(() => ClusterCertificates.LoadNode(node, "wrong")).Message);
            Assert.Contains("clusterpool cert new", Assert.Throws<ClusterCertificateException>(() => ClusterCertificates.LoadNode(Path.Combine(folder, "none.pfx"), null)).Message);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void APoolOnAnAddressOtherThanLoopbackNeedsACertificateOrTheLoudOptOut()
    {
        var config = Contracts.Configuration.PoolConfig.Build(Contracts.Configuration.NodeRole.Coordinator, null, "127.0.0.1", 0);
        var refused = Assert.Throws<PoolConfigurationException>(() =>
            Security.PoolTls.Decide(new PoolOptions { ListenAddress = "10.1.2.3:4053" }, config, "10.1.2.3", startsHosts: false));
        Assert.Contains("clusterpool cert new", refused.Message);
        Assert.Contains("InsecurePlaintextOnTrustedNetwork", refused.Message);
        Assert.Null(Security.PoolTls.Decide(new PoolOptions { InsecurePlaintextOnTrustedNetwork = true }, config, "10.1.2.3", startsHosts: false));
        Assert.Null(Security.PoolTls.Decide(new PoolOptions(), config, "127.0.0.1", startsHosts: false));
        var optOut = Contracts.Configuration.PoolConfig.Build(Contracts.Configuration.NodeRole.Coordinator,
            "clusterpool.tls.insecure-plaintext-on-trusted-network = on", "127.0.0.1", 0);
        Assert.Null(Security.PoolTls.Decide(new PoolOptions(), optOut, "10.1.2.3", startsHosts: false));
        // Through Pool.Start too, before anything binds or starts.
        Assert.Throws<PoolConfigurationException>(() => Pool.Start(new PoolOptions { ListenAddress = "10.1.2.3:4053" }));
    }

    [Fact]
    public void AkkasRepeatedHandshakeLinesBecomeOneLinePerAddressAndPortProbesSayNothing()
    {
        var lines = new TlsLogLines();
        static Akka.Event.LogEvent Warning(string text) => new Akka.Event.Warning("TcpServerHandler", typeof(object), text);
        Assert.Equal((true, null), lines.Rewrite(Warning("TLS handshake failed on channel [[::ffff:127.0.0.1]:4102->[::ffff:127.0.0.1]:41996](Id=1) Error: Channel is closed")));
        Assert.Equal((true, null), lines.Rewrite(Warning("Rejected incoming connection from [[::ffff:127.0.0.1]:41996] due to TLS handshake failure.")));
        var first = lines.Rewrite(Warning("Rejected incoming connection from [[::ffff:10.0.0.7]:50000] due to TLS handshake failure."));
        Assert.Contains("10.0.0.7", first.Text);
        Assert.Equal((true, null), lines.Rewrite(Warning("Mutual TLS required but client did not provide a certificate from [::ffff:10.0.0.7]:50002")));
        Assert.Equal((false, null), lines.Rewrite(Warning("something else")));
        Assert.Equal("10.0.0.7", TlsLogLines.AddressOnly("[::ffff:10.0.0.7]:50002"));
    }
}
