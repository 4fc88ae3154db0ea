namespace ClusterPool;

/// <summary>
/// A certificate file (<c>PoolOptions.Certificate</c>, <c>--cert</c>) that cannot serve: the message names the
/// file and what to do.
/// </summary>
public sealed class ClusterCertificateException : Exception
{
    /// <summary>Creates the exception with a message that names what is wrong.</summary>
    public ClusterCertificateException(string message, Exception? inner = null) : base(message, inner) { }
}
