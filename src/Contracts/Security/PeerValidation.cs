using System.Security.Cryptography.X509Certificates;

namespace ClusterPool.Contracts.Security;

/// <summary>
/// Whether a peer's certificate belongs to this cluster: its chain must end at the cluster's own authority (and only
/// there: the machine's certificate store is not consulted), every certificate in it must be valid now, and it must be
/// a ClusterPool node certificate. Used on both sides of every connection (mutual TLS).
/// </summary>
internal static class PeerValidation
{
    /// <summary>Null when <paramref name="peer"/> is one of the cluster's node certificates, else why it is
    /// not.</summary>
    public static string? Problem(X509Certificate2? peer, X509Certificate2 authority, DateTime? now = null)
    {
        if (peer is null) return "the peer presented no certificate";
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        // a private authority publishes no revocation list
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now ?? DateTime.Now;
        if (!chain.Build(peer))
        {
            var statuses = chain.ChainStatus.Select(s => s.Status).ToHashSet();
            if (statuses.Contains(X509ChainStatusFlags.NotTimeValid))
                return $"its certificate {peer.Subject} is not valid now (valid {peer.NotBefore:u} to " +
                    $"{peer.NotAfter:u})";
            if (statuses.Contains(X509ChainStatusFlags.UntrustedRoot)
                || statuses.Contains(X509ChainStatusFlags.PartialChain))
                return OtherAuthority(peer, authority);
            return $"its certificate {peer.Subject} does not check out " +
                $"({string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()))})";
        }
        var root = chain.ChainElements[^1].Certificate;
        if (!root.RawData.AsSpan().SequenceEqual(authority.RawData))
            return $"its certificate {peer.Subject} does not end at this cluster's authority";
        return ClusterCertificates.IsAuthority(peer)
            ? "it presented the authority's certificate, not a node certificate" : null;
    }

    /// <summary>
    /// A peer of another cluster. Two clusters made on one machine with the default names have authorities of the
    /// same name, so the names alone would read "issued by X, not by X": the key ids and the thumbprint (as
    /// <c>clusterpool cert show</c> prints them) tell the authorities apart.
    /// </summary>
    private static string OtherAuthority(X509Certificate2 peer, X509Certificate2 authority)
    {
        var theirs = CertificateKeyIds.IssuerKey(peer) is { } id ? $" (key id {id})" : "";
        var ours = CertificateKeyIds.OwnKey(authority) is { } own ? $"key id {own}, " : "";
        var sameName = peer.IssuerName.RawData.AsSpan().SequenceEqual(authority.SubjectName.RawData)
            ? ": another authority of the same name (another `clusterpool cert new`)" : "";
        return $"its certificate {peer.Subject} was issued by {peer.Issuer}{theirs}, not by this cluster's authority " +
            $"{authority.Subject} ({ours}thumbprint {authority.Thumbprint}){sameName}";
    }
}
