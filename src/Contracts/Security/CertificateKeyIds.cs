using System.Security.Cryptography.X509Certificates;

namespace ClusterPool.Contracts.Security;

/// <summary>
/// The key identifiers that tell two authorities of the same name apart: two clusters made on one machine with the
/// default names both have "CN=ClusterPool cluster CA MACHINE", but each authority has a key of its own, and every node
/// certificate names its issuer's key. <c>clusterpool cert show</c> prints both, in the same form as here.
/// </summary>
internal static class CertificateKeyIds
{
    /// <summary>The key identifier of <paramref name="certificate"/>'s own key (an authority's), or null.</summary>
    public static string? OwnKey(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifier;

    /// <summary>The key identifier of the authority that issued <paramref name="certificate"/>, or null.</summary>
    public static string? IssuerKey(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier is { } id
            ? Convert.ToHexString(id.Span) : null;
}
