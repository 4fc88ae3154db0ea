namespace ClusterPool;

/// <summary>
/// How a pool connects to its <see cref="PoolOptions.Hosts"/>. Each setting left null follows <c>clusterpool.ssh</c>
/// in the configuration, and past that the OpenSSH client's own (<c>~/.ssh/config</c>, the agent, <c>~/.ssh</c>'s
/// keys and <c>known_hosts</c>).
/// </summary>
public sealed class SshOptions
{
    /// <summary>A private key file to offer (OpenSSH's <c>-i</c>), besides the agent's.</summary>
    public string? IdentityFile { get; set; }

    /// <summary>The known hosts file to check host keys against (OpenSSH's <c>UserKnownHostsFile</c>).</summary>
    public string? KnownHostsFile { get; set; }

    /// <summary>
    /// True: a host whose key is not known yet is trusted and its key recorded, as OpenSSH's
    /// <c>StrictHostKeyChecking=accept-new</c>; a changed key is refused all the same. False (the default): an unknown
    /// host key is refused, and the error gives its fingerprint to check.
    /// </summary>
    public bool? AcceptNewHostKeys { get; set; }

    /// <summary>An ssh_config file to use instead of <c>~/.ssh/config</c> (OpenSSH's <c>-F</c>).</summary>
    public string? ConfigFile { get; set; }
}
