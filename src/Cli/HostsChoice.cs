namespace ClusterPool.Cli;

/// <summary>
/// The machines a command's pool starts workers on (<see cref="HostsOptions"/>), kept apart from the pool's options
/// so that a command can tell whether it has any before it starts the pool (the demo waits for them and shows them).
/// </summary>
/// <param name="Hosts">The <c>--hosts</c> entries.</param>
/// <param name="HostsFile">The <c>--hosts-file</c>, or null.</param>
/// <param name="AcceptNewHostKeys"><c>--accept-new-host-keys</c>: false leaves the choice to the configuration.</param>
internal sealed record HostsChoice(IReadOnlyList<string> Hosts, string? HostsFile, bool AcceptNewHostKeys)
{
    /// <summary>True when the command line names any host.</summary>
    public bool Any => Hosts.Count > 0 || HostsFile is not null;

    /// <summary>Sets the pool's hosts; leaves what the command line did not say to the configuration.</summary>
    public void ApplyTo(PoolOptions options)
    {
        if (Hosts.Count > 0) options.Hosts = Hosts;
        if (HostsFile is not null) options.HostsFile = HostsFile;
        if (AcceptNewHostKeys) options.Ssh.AcceptNewHostKeys = true;
    }
}
