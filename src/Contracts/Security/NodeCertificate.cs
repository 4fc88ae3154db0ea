using System.Security.Cryptography.X509Certificates;

namespace ClusterPool.Contracts.Security;

/// <summary>A node's certificate (with its private key) and the cluster authority it trusts.</summary>
/// <param name="Certificate">The node certificate.</param>
/// <param name="Authority">The cluster's authority certificate (public part).</param>
internal sealed record NodeCertificate(X509Certificate2 Certificate, X509Certificate2 Authority)
{
    /// <summary>
    /// Null while the certificate and its authority are both valid at <paramref name="now"/>; else which is not, and
    /// when it is: every peer would refuse this node, so a pool or a host with it cannot run, only wait.
    /// </summary>
    public string? NotValidNow(DateTime? now = null)
    {
        var at = now ?? DateTime.Now;
        foreach (var (certificate, what) in new[] { (Certificate, "certificate"), (Authority, "cluster authority") })
            if (certificate.NotAfter < at || certificate.NotBefore > at)
                return $"{what} {certificate.Subject} is not valid now (valid " +
                    $"{certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u})";
        return null;
    }
}
