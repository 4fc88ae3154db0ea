using ClusterPool.Contracts.Security;

namespace ClusterPool.Security;

/// <summary>The pool's node certificate, and where its workers get the same: the file and password it came from, or,
/// for a one-time certificate of a pool with <see cref="PoolOptions.Hosts"/>, only its bytes (no file).</summary>
/// <param name="Node">The certificate and its authority.</param>
/// <param name="File">The node file the local workers load, or null for a one-time certificate.</param>
/// <param name="Password">The file's password, if it has one.</param>
/// <param name="Pkcs12">The node file's bytes, which hosts get over their SSH session.</param>
internal sealed record PoolCertificate(NodeCertificate Node, string? File, string? Password, byte[] Pkcs12);
