using System.Text.RegularExpressions;

namespace ClusterPool.Hosts;

/// <summary>
/// What the OpenSSH client's exit (code 255: its own failure, not the remote command's) means, in words that say what
/// to do: from the lines it wrote on stderr, which are stable across OpenSSH releases and platforms.
/// </summary>
internal static partial class SshFailure
{
    /// <summary>The reason the client could not run the command on <paramref name="host"/>.</summary>
    /// <param name="host">The host.</param>
    /// <param name="settings">How it was reached (the known hosts file and key it names).</param>
    /// <param name="stderr">The client's stderr.</param>
    /// <param name="scanHostKey">Reads the host's key fingerprints, for a host that is not known yet.</param>
    public static string Explain(HostSpec host, SshSettings settings, string stderr,
        Func<HostSpec, string?> scanHostKey)
    {
        var known = settings.KnownHostsFile ?? "~/.ssh/known_hosts";
        if (stderr.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal))
            return $"its host key has CHANGED since it was recorded in {known} (now: {Fingerprint(stderr) ??
                "see the lines below"}): refused, as someone could be in the middle; if the host was reinstalled, " +
                $"remove the old key (ssh-keygen -R {KeyName(host)}) and check the new one";
        if (stderr.Contains("Host key verification failed", StringComparison.Ordinal)
            || stderr.Contains("host key is known", StringComparison.Ordinal))
            return $"its host key is not in {known}: refused. Its key: {scanHostKey(host) ?? "(could not be read)"}. " +
                $"Check it, then add it (ssh-keyscan {(host.Port is { } p ? $"-p {p} " : "")}{host.Host} >> " +
                $"{known}) or set PoolOptions.Ssh.AcceptNewHostKeys";
        if (stderr.Contains("Permission denied", StringComparison.Ordinal))
            return "it refused every key offered (" + PermissionMethods(stderr) + "): add your public key to its " +
                "~/.ssh/authorized_keys (ssh-copy-id), load yours into the agent (ssh-add), or name one in " +
                "PoolOptions.Ssh.IdentityFile";
        if (stderr.Contains("Connection refused", StringComparison.Ordinal))
            return $"nothing listens for SSH on port {host.Port ?? 22} (connection refused: is sshd running there?)";
        if (stderr.Contains("Could not resolve hostname", StringComparison.Ordinal))
            return $"the name {host.Host} is not known (DNS or /etc/hosts)";
        if (Unreachable().Match(stderr) is { Success: true } unreachable)
            return $"unreachable ({unreachable.Value.ToLowerInvariant()})";
        var last = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault();
        return $"ssh failed ({last ?? "it wrote nothing on stderr"})";
    }

    /// <summary>The <c>SHA256:...</c> fingerprint OpenSSH printed, if any.</summary>
    public static string? Fingerprint(string text) => FingerprintPattern().Match(text) is { Success: true } m
        ? m.Value.TrimEnd('.') : null;

    /// <summary>How known_hosts names the host: <c>[host]:port</c> for another port than 22.</summary>
    public static string KeyName(HostSpec host) => host.Port is { } port && port != 22
        ? $"[{host.Host}]:{port}" : host.Host;

    private static string PermissionMethods(string stderr) =>
        Methods().Match(stderr) is { Success: true } m ? m.Groups[1].Value : "publickey";

    [GeneratedRegex(@"SHA256:[A-Za-z0-9+/=]+")]
    private static partial Regex FingerprintPattern();

    [GeneratedRegex(@"Permission denied \(([^)]*)\)")]
    private static partial Regex Methods();

    [GeneratedRegex(@"Connection timed out|Operation timed out|No route to host|Network is unreachable|" +
        "Connection closed by remote host|Connection reset by peer", RegexOptions.IgnoreCase)]
    private static partial Regex Unreachable();
}
