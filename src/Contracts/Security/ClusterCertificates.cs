using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ClusterPool.Contracts.Security;

/// <summary>
/// A cluster's certificates: its own certificate authority (the trust anchor every node checks its peers against) and
/// the node certificate it signs, which every machine of the cluster holds (<c>clusterpool cert new</c>). Nodes trust
/// only this authority, never the machine's certificate store: a certificate from any other authority is refused.
/// </summary>
internal static class ClusterCertificates
{
    /// <summary>The file the authority's certificate is written to (public: the trust anchor).</summary>
    public const string AuthorityFile = "cluster-ca.crt";

    /// <summary>The file the authority's private key is written to: keep it off the cluster, it signs new node
    /// certificates.</summary>
    public const string AuthorityKeyFile = "cluster-ca.key";

    /// <summary>The file every node uses: its certificate and key, with the authority's certificate
    /// (PKCS#12).</summary>
    public const string NodeFile = "node.pfx";

    /// <summary>The friendly prefix of every subject ClusterPool writes, to tell its certificates apart.</summary>
    private const string SubjectPrefix = "CN=ClusterPool";

    /// <summary>A new authority for the cluster <paramref name="cluster"/>, valid for <paramref name="validity"/>
    /// (ECDSA P-256).</summary>
    public static X509Certificate2 CreateAuthority(string cluster, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"{SubjectPrefix} cluster CA {cluster}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow.AddMinutes(-5); // clocks of a cluster's machines differ a little
        return request.CreateSelfSigned(now, now + validity);
    }

    /// <summary>A node certificate signed by <paramref name="authority"/> (which must hold its private key), for server
    /// and client use.</summary>
    public static X509Certificate2 IssueNode(X509Certificate2 authority, string cluster, TimeSpan validity)
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-5); // clocks of a cluster's machines differ a little
        var notAfter = now + validity < authority.NotAfter ? now + validity : authority.NotAfter.ToUniversalTime();
        return IssueNode(authority, cluster, now, notAfter);
    }

    /// <summary>A node certificate valid from <paramref name="notBefore"/> to <paramref name="notAfter"/> (an expired
    /// one, for tests).</summary>
    public static X509Certificate2 IssueNode(X509Certificate2 authority, string cluster, DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"{SubjectPrefix} node {cluster}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "server authentication"),
                new Oid("1.3.6.1.5.5.7.3.2", "client authentication")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        using var signed = request.Create(authority, notBefore, notAfter, serial);
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Writes a new authority and node certificate into <paramref name="folder"/> (created if missing): the three files
    /// named above. Refuses to overwrite any of them. Returns the node file's path.
    /// </summary>
    public static string WriteNew(string folder, string cluster, TimeSpan validity, string? password)
    {
        Directory.CreateDirectory(folder);
        var paths = new[] { AuthorityFile, AuthorityKeyFile, NodeFile }.Select(f => Path.Combine(folder, f)).ToArray();
        if (paths.FirstOrDefault(File.Exists) is { } existing)
            throw new IOException(
                $"{existing} already exists: pick another --out folder, or move the old files away first (see " +
                "docs/security.md on rotating certificates)");
        using var authority = CreateAuthority(cluster, validity);
        File.WriteAllText(paths[0], authority.ExportCertificatePem());
        WritePrivate(paths[1], authority.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        WritePrivate(paths[2], NodeBundle(authority, cluster, validity, password));
        return paths[2];
    }

    /// <summary>
    /// What <see cref="WriteNew"/> puts in <see cref="NodeFile"/> (no password), for a new authority and node made in
    /// memory: a pool that starts its worker hosts itself hands them these bytes, and nothing of its one-time cluster
    /// lies on any disk. The authority's key is dropped, so no further node of that cluster can ever be issued.
    /// </summary>
    public static byte[] NewOneTimeNode(string cluster, TimeSpan validity)
    {
        using var authority = CreateAuthority(cluster, validity);
        return NodeBundle(authority, cluster, validity, password: null);
    }

    /// <summary>
    /// A node file's content (PKCS#12): a new node certificate that <paramref name="authority"/> signs, with its key,
    /// and the authority's certificate without its key (the trust anchor, the same on every node).
    /// </summary>
    private static byte[] NodeBundle(X509Certificate2 authority, string cluster, TimeSpan validity, string? password)
    {
        using var node = IssueNode(authority, cluster, validity);
        using var anchor = X509CertificateLoader.LoadCertificate(authority.RawData);
        return new X509Certificate2Collection { node, anchor }.Export(X509ContentType.Pkcs12, password)!;
    }

    /// <summary>Loads a node file: its certificate (with its private key) and the cluster authority it
    /// trusts.</summary>
    /// <exception cref="ClusterCertificateException">The file is missing, unreadable, or not a ClusterPool node
    /// file.</exception>
    public static NodeCertificate LoadNode(string path, string? password)
    {
        if (!File.Exists(path)) throw new ClusterCertificateException(
            $"the certificate file {Path.GetFullPath(path)} does not exist (make one with: clusterpool cert new " +
            "--out DIR)");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ClusterCertificateException($"the certificate file {path} cannot be read ({e.Message})", e);
        }
        return LoadNode(bytes, password, path);
    }

    /// <summary>
    /// Loads a node file's content (<paramref name="pkcs12"/>, as <see cref="WriteNew"/> writes it or
    /// <see cref="NewOneTimeNode"/> returns it): its certificate (with its private key) and the cluster authority it
    /// trusts. <paramref name="source"/> says where the bytes came from (a file's path, an environment variable), for
    /// the errors.
    /// </summary>
    /// <exception cref="ClusterCertificateException">The bytes are not a ClusterPool node file, or the password is
    /// wrong; the message names <paramref name="source"/>.</exception>
    public static NodeCertificate LoadNode(byte[] pkcs12, string? password, string source)
    {
        X509Certificate2Collection all;
        try { all = X509CertificateLoader.LoadPkcs12Collection(
            pkcs12, password, X509KeyStorageFlags.EphemeralKeySet); }
        catch (CryptographicException e)
        {
            throw new ClusterCertificateException(
                $"{source} is not a readable node certificate ({e.Message}); a node needs {NodeFile} from " +
                "`clusterpool cert new` (and its --password, if one was set)", e);
        }
        var node = all.FirstOrDefault(c => c.HasPrivateKey && !IsAuthority(c))
                   ?? throw new ClusterCertificateException(
                       $"{source} holds no node certificate with its private key: use the {NodeFile} that " +
                       $"`clusterpool cert new` wrote, not {AuthorityFile}");
        var authority = all.FirstOrDefault(c => IsAuthority(c)
            && c.SubjectName.RawData.AsSpan().SequenceEqual(node.IssuerName.RawData))
                        ?? throw new ClusterCertificateException(
                            $"{source} does not carry the authority that signed its node certificate: use the " +
                            $"{NodeFile} that `clusterpool cert new` wrote");
        return new NodeCertificate(node, authority);
    }

    /// <summary>True for a certificate authority's certificate.</summary>
    public static bool IsAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault()?.CertificateAuthority == true;

    private static void WritePrivate(string path, string text) =>
        WritePrivate(path, System.Text.Encoding.ASCII.GetBytes(text));

    /// <summary>Writes a file only its owner can read (it holds a private key).</summary>
    private static void WritePrivate(string path, byte[] bytes)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var file = new FileStream(path, options);
        file.Write(bytes);
    }
}
