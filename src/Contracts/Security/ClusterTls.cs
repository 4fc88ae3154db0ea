using System.Collections.Concurrent;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;

namespace ClusterPool.Contracts.Security;

/// <summary>
/// Mutually authenticated TLS on every connection of a node: Akka.Remote's DotNetty transport with the node's
/// certificate, checking each peer against the cluster's own authority (<see cref="PeerValidation"/>), on both sides.
/// </summary>
internal static class ClusterTls
{
    private const string EnableHocon = "akka.remote.dot-netty.tcp.enable-ssl = on";

    /// <summary>
    /// <paramref name="config"/> with TLS on for the transport, over whatever it says (the certificate comes with
    /// <see cref="Setup"/>): how the pool and every worker host switch it on.
    /// </summary>
    public static Config Enable(Config config) => ConfigurationFactory.ParseString(EnableHocon).WithFallback(config);

    /// <summary>The protocol of a node's addresses: <c>akka.ssl.tcp</c> with TLS, <c>akka.tcp</c> without.</summary>
    public static string Protocol(bool tls) => tls ? "akka.ssl.tcp" : "akka.tcp";

    /// <summary>
    /// The Akka setup for a node holding <paramref name="node"/>. <paramref name="refused"/> hears each refused peer
    /// (its address and why) once per address, not at every retry.
    /// </summary>
    public static DotNettySslSetup Setup(NodeCertificate node, Action<string, string> refused)
    {
        var told = new ConcurrentDictionary<string, bool>();
        return new DotNettySslSetup(node.Certificate, suppressValidation: false, requireMutualAuthentication: true,
            validateCertificateHostname: false, (certificate, _, peer, _, _) =>
            {
                var problem = PeerValidation.Problem(certificate, node.Authority);
                var address = TlsLogLines.AddressOnly(peer ?? "an unknown address");
                if (problem is not null && told.TryAdd(address, true)) refused(address, problem);
                return problem is null;
            });
    }
}
