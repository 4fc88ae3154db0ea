namespace ClusterPool;

/// <summary>
/// A host of <see cref="PoolOptions.Hosts"/> could not start its worker host: unreachable, a key refused, an unknown
/// or changed host key (with its fingerprint), no disk space, no runtime that can run there. The message names the
/// host and why; <see cref="Pool.Start"/> throws it when <see cref="PoolOptions.RequireAllHosts"/> is set or no
/// slot is left at all (then with every host's reason), and <see cref="Pool.RemoteHosts"/> shows it otherwise.
/// </summary>
public sealed class RemoteHostException : Exception
{
    /// <summary>Creates the exception for <paramref name="host"/> with the reason.</summary>
    public RemoteHostException(string host, string message) : base(message) => Host = host;

    /// <summary>The host, as given in <see cref="PoolOptions.Hosts"/> (several, comma-separated, when all
    /// failed).</summary>
    public string Host { get; }
}
