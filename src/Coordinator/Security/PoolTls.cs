using Akka.Configuration;
using ClusterPool.Contracts.Launch;
using ClusterPool.Contracts.Security;

namespace ClusterPool.Security;

/// <summary>
/// Whether a pool's connections use TLS, and with which certificate: <see cref="PoolOptions.Certificate"/> or
/// <c>clusterpool.tls.certificate</c>. A pool that listens on an address other than loopback must have one, unless
/// <see cref="PoolOptions.InsecurePlaintextOnTrustedNetwork"/> (or
/// <c>clusterpool.tls.insecure-plaintext-on-trusted-network</c>) says otherwise.
/// </summary>
internal static class PoolTls
{
    /// <summary>The pool's node certificate, or null for plain text (loopback, or the opt-out).</summary>
    /// <exception cref="PoolConfigurationException">No certificate for a non-loopback address; the message says how to
    /// make one.</exception>
    /// <exception cref="ClusterCertificateException">The certificate file cannot serve (unreadable, or not valid
    /// now); the message names it.</exception>
    public static PoolCertificate? Decide(PoolOptions options, Config config, string listenHost, bool startsHosts)
    {
        var file = options.Certificate ?? Setting(config, "clusterpool.tls.certificate");
        var password = options.CertificatePassword ?? Setting(config, "clusterpool.tls.password");
        if (file is not null)
        {
            var node = ClusterCertificates.LoadNode(file, password);
            // Every worker would refuse it, and the pool would wait for workers that can never join.
            if (node.NotValidNow() is { } invalid)
                throw new ClusterCertificateException($"the pool's {invalid}, in {file}: make new ones with " +
                    "`clusterpool cert new` and give them to the pool and its worker hosts (docs/security.md)");
            return new PoolCertificate(node, file, password, System.IO.File.ReadAllBytes(file));
        }
        var insecure = options.InsecurePlaintextOnTrustedNetwork
            || config.GetBoolean("clusterpool.tls.insecure-plaintext-on-trusted-network", false);
        if (startsHosts && !insecure)
        {
            // A pool that starts its own hosts hands them a certificate of its own over SSH: valid for this run only,
            // never on any disk, so nothing secret outlives the pool.
            var once = ClusterCertificates.NewOneTimeNode($"pool-{Environment.ProcessId}", OneTimeValidity);
            return new PoolCertificate(ClusterCertificates.LoadNode(once, null, "the pool's one-time certificate"),
                null, null, once);
        }
        if (!HostPort.IsLoopback(listenHost) && !insecure)
            throw new PoolConfigurationException(
                $"the pool would listen on {listenHost}, which other machines can reach, without TLS: anyone who " +
                    "reaches the port could join and be handed your work. " +
                "Make the cluster's certificates with `clusterpool cert new --out DIR`, then set " +
                    "PoolOptions.Certificate = \"DIR/node.pfx\" " +
                "(and start each worker host with --cert DIR/node.pfx). On an isolated network you trust, " +
                "PoolOptions.InsecurePlaintextOnTrustedNetwork = true runs without TLS (docs/security.md)");
        return null;
    }

    /// <summary>How long a one-time certificate is valid: longer than any batch runs.</summary>
    private static readonly TimeSpan OneTimeValidity = TimeSpan.FromDays(30);

    /// <summary>The HOCON that turns TLS on, laid over <paramref name="config"/> when the pool has a
    /// certificate.</summary>
    public static Config Apply(Config config, PoolCertificate? certificate) =>
        certificate is null ? config : ClusterTls.Enable(config);

    private static string? Setting(Config config, string path) =>
        config.HasPath(path) && config.GetString(path) is { Length: > 0 } value ? value : null;

}
