using System.Security.Cryptography.X509Certificates;

namespace ClusterPool.Contracts.Security;

/// <summary>A node's certificate (with its private key) and the cluster authority it trusts.</summary>
/// <param name="Certificate">The node certificate.</param>
/// <param name="Authority">The cluster's authority certificate (public part).</param>
internal sealed record NodeCertificate(X509Certificate2 Certificate, X509Certificate2 Authority);
