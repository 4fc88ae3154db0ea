using ClusterPool.Contracts.Security;

namespace ClusterPool.Security;

/// <summary>The pool's node certificate, and the file and password it came from (its local workers load the
/// same).</summary>
internal sealed record PoolCertificate(NodeCertificate Node, string File, string? Password);
