namespace ClusterPool;

/// <summary>
/// A configuration setting (<c>PoolOptions.Config</c>, <c>CLUSTERPOOL_CONFIG</c>, a certificate setting) is
/// missing, malformed or out of range; the message names the setting and what is wrong with it.
/// </summary>
public sealed class PoolConfigurationException : Exception
{
    /// <summary>Creates the exception with a message that names what is wrong.</summary>
    public PoolConfigurationException(string message, Exception? inner = null) : base(message, inner) { }
}
