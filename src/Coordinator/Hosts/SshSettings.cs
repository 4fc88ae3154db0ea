using Akka.Configuration;
using ClusterPool.Contracts.Configuration;

namespace ClusterPool.Hosts;

/// <summary>
/// How a pool reaches its hosts over SSH: <c>clusterpool.ssh</c> in <c>hocon/coordinator.hocon</c>, under
/// <see cref="PoolOptions.Ssh"/> and <see cref="PoolOptions.RequireAllHosts"/>. Null strings leave the choice to
/// OpenSSH.
/// </summary>
internal sealed record SshSettings(
    string Program,
    string? IdentityFile,
    string? KnownHostsFile,
    bool AcceptNewHostKeys,
    string? ConfigFile,
    TimeSpan ConnectTimeout,
    TimeSpan AliveInterval,
    string? RemoteCache,
    int KeepBuilds,
    bool RequireAll,
    int Restarts)
{
    /// <summary>Reads the settings; throws <see cref="PoolConfigurationException"/> naming any that is wrong.</summary>
    public static SshSettings Create(Config config, PoolOptions options)
    {
        const string at = "clusterpool.ssh.";
        string? Text(string key) => config.GetString(at + key, "") is { Length: > 0 } value ? value : null;
        var ssh = options.Ssh;
        return new SshSettings(
            Text("program") ?? "ssh",
            ssh.IdentityFile ?? Text("identity-file"),
            ssh.KnownHostsFile ?? Text("known-hosts"),
            ssh.AcceptNewHostKeys ?? config.GetBoolean(at + "accept-new-host-keys", false),
            ssh.ConfigFile ?? Text("config-file"),
            PoolConfig.ReadDuration(config, at + "connect-timeout"),
            PoolConfig.ReadDuration(config, at + "alive-interval"),
            Text("remote-cache"),
            PoolConfig.ReadPositiveInt(config, at + "keep-builds"),
            options.RequireAllHosts ?? config.GetBoolean(at + "require-all", false),
            PoolConfig.ReadNonNegativeInt(config, at + "restarts"));
    }
}
