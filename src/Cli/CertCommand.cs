using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ClusterPool.Contracts.Security;

namespace ClusterPool.Cli;

/// <summary>
/// <c>clusterpool cert new --out DIR</c> makes a cluster's certificate authority and node certificate;
/// <c>clusterpool cert show FILE</c> says what a certificate file is and until when it is valid. No private key is ever
/// printed.
/// </summary>
internal static class CertCommand
{
    private static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(365);

    public static Command Create()
    {
        var cert =
            new Command("cert", "Certificates for a secure cluster (mutually authenticated TLS between every node).");
        cert.Subcommands.Add(New());
        cert.Subcommands.Add(Show());
        return cert;
    }

    private static Command New()
    {
        var output = new Option<string>("--out")
        {
            Description = "The folder to write cluster-ca.crt, cluster-ca.key and node.pfx into",
            Required = true
        };
        var name = new Option<string>("--name")
        {
            Description = "The cluster's name, written into the certificates",
            DefaultValueFactory = _ => Environment.MachineName
        };
        var days = new Option<int>("--days")
        {
            Description = "Days the certificates are valid",
            DefaultValueFactory = _ => (int)DefaultValidity.TotalDays
        };
        var password = new Option<string?>("--password")
        {
            Description = "A password for node.pfx (then give it to pools and workers too)"
        };
        NumberOption.Require(days, d => d > 0, "at least 1");
        var command = new Command("new",
            "Create a cluster certificate authority and a node certificate signed by it. Copy node.pfx to every " +
            "machine of the cluster (pool: PoolOptions.Certificate; workers: --cert); keep cluster-ca.key elsewhere.");
        foreach (var option in new Option[] { output, name, days, password }) command.Options.Add(option);
        command.SetAction(parse => ClusterPoolCommand.Guarded(_ =>
        {
            var folder = parse.GetValue(output)!;
            var node = ClusterCertificates.WriteNew(folder, parse.GetValue(name)!,
                TimeSpan.FromDays(parse.GetValue(days)), parse.GetValue(password));
            Console.WriteLine(
                $"wrote {Path.Combine(folder, ClusterCertificates.AuthorityFile)}     " +
                "the cluster's authority (public)");
            Console.WriteLine(
                $"wrote {Path.Combine(folder, ClusterCertificates.AuthorityKeyFile)}     its private key: keep it " +
                "off the cluster, it signs new node certificates");
            Console.WriteLine(
                $"wrote {node}          the node certificate and key: copy it to every machine of the cluster");
            Console.WriteLine(
                $"use:  PoolOptions.Certificate = \"{node}\" on the pool, clusterpool worker --join HOST:PORT --cert " +
                $"{node} on each worker host");
            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var file = new Argument<string>("file")
        {
            Description = "A certificate file: node.pfx, cluster-ca.crt or any PEM/DER/PKCS#12 certificate"
        };
        var password = new Option<string?>("--password") { Description = "The PKCS#12 file's password, if it has one" };
        var command = new Command("show",
            "Say what a certificate file is, who issued it and until when it is valid (never its private key).");
        command.Arguments.Add(file);
        command.Options.Add(password);
        command.SetAction(parse => ClusterPoolCommand.Guarded(_ =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new ArgumentException($"no file {path}");
            foreach (var certificate in Load(path, parse.GetValue(password))) Console.WriteLine(Describe(certificate));
            return 0;
        }));
        return command;
    }

    private static X509Certificate2Collection Load(string path, string? password)
    {
        if (File.ReadAllText(path).Contains("PRIVATE KEY-----", StringComparison.Ordinal)
            && !File.ReadAllText(path).Contains("CERTIFICATE-----", StringComparison.Ordinal))
            throw new ArgumentException(
                $"{path} is a private key, not a certificate: it is shown to no one (keep it safe)");
        var pkcs12 = X509Certificate2.GetCertContentType(path) == X509ContentType.Pkcs12;
        try
        {
            return pkcs12 ? LoadPkcs12(path, password) : [X509CertificateLoader.LoadCertificateFromFile(path)];
        }
        catch (CryptographicException e) when (pkcs12)
        {
            // A PKCS#12 file that does not open with the password given: say which way the password is wrong.
            if (!string.IsNullOrEmpty(password) && (Opens(path, null) || Opens(path, ""))) throw new ArgumentException(
                $"{path} has no password: --password is not needed (leave it out)");
            throw new ArgumentException(string.IsNullOrEmpty(password)
                ? $"{path} needs a password (give it with --password), or is damaged ({e.Message})"
                : $"{path}: the password is wrong, or the file is damaged ({e.Message})");
        }
        catch (CryptographicException e) { throw new ArgumentException(
            $"{path} is not a certificate file this tool can read ({e.Message})"); }
    }

    private static X509Certificate2Collection LoadPkcs12(string path, string? password) =>
        X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);

    /// <summary>True when the PKCS#12 file opens with <paramref name="password"/>.</summary>
    private static bool Opens(string path, string? password)
    {
        try
        {
            foreach (var certificate in LoadPkcs12(path, password)) certificate.Dispose();
            return true;
        }
        catch (CryptographicException) { return false; }
    }

    /// <summary>
    /// The key ids a refusal names (<see cref="PeerValidation"/>): an authority's own, a node's issuer's. Two clusters
    /// made on one machine with the default names differ only there and in their thumbprints.
    /// </summary>
    private static string KeyIds(X509Certificate2 certificate)
    {
        var own = ClusterCertificates.IsAuthority(certificate) ? CertificateKeyIds.OwnKey(certificate) : null;
        var issuer = CertificateKeyIds.IssuerKey(certificate);
        return (own is null ? "" : $"\n  key id:      {own}") + (issuer is null ? "" : $"\n  issuer key:  {issuer}");
    }

    private static string Describe(X509Certificate2 certificate)
    {
        var now = DateTime.Now;
        var kind = ClusterCertificates.IsAuthority(certificate) ? "certificate authority" : "node certificate";
        var state = now < certificate.NotBefore ? "NOT YET VALID"
            : now > certificate.NotAfter ? $"EXPIRED {(now - certificate.NotAfter).TotalDays:F0} days ago"
            : $"valid, {(certificate.NotAfter - now).TotalDays:F0} days left";
        var validity = $"{certificate.NotBefore:yyyy-MM-dd HH:mm} until " +
                       $"{certificate.NotAfter:yyyy-MM-dd HH:mm} ({state})";
        return $"""
            {kind}: {certificate.Subject}
              issued by:   {certificate.Issuer}
              valid from:  {validity}
              private key: {(certificate.HasPrivateKey ? "in this file (not shown)" : "not in this file")}
              thumbprint:  {certificate.Thumbprint}{KeyIds(certificate)}
            """;
    }
}
