using System.Diagnostics;
using System.Globalization;

namespace ClusterPool.Hosts;

/// <summary>
/// A command run on a host through the system's OpenSSH client, which does what users expect of SSH by itself: keys
/// from <c>~/.ssh</c> and the agent, <c>~/.ssh/config</c> (users, ports, jump hosts), hashed <c>known_hosts</c>, and
/// OpenSSH's own <c>accept-new</c>. Never interactive (<c>BatchMode</c>): a key with a passphrase not in the agent,
/// or an unknown host, is an error, not a prompt. stdin, stdout and stderr are pipes from this process: when it dies,
/// even by <c>kill -9</c>, the client's stdin closes and the session ends.
/// </summary>
internal static class SshCommand
{
    /// <summary>The start info that runs <paramref name="remoteCommand"/> on <paramref name="host"/>.</summary>
    public static ProcessStartInfo StartInfo(HostSpec host, SshSettings settings, string remoteCommand)
    {
        var info = new ProcessStartInfo(settings.Program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in Arguments(host, settings)) info.ArgumentList.Add(argument);
        info.ArgumentList.Add("--");
        info.ArgumentList.Add(Destination(host));
        info.ArgumentList.Add(remoteCommand);
        return info;
    }

    /// <summary>The client's options: never a prompt, a host key checked, a dead link noticed.</summary>
    private static IEnumerable<string> Arguments(HostSpec host, SshSettings settings)
    {
        string Seconds(TimeSpan time) => Math.Max(1, (int)Math.Ceiling(time.TotalSeconds))
            .ToString(CultureInfo.InvariantCulture);
        yield return "-T"; // no terminal: the streams are the protocol's
        yield return "-o"; yield return "BatchMode=yes";
        yield return "-o"; yield return "StrictHostKeyChecking=" + (settings.AcceptNewHostKeys ? "accept-new" : "yes");
        yield return "-o"; yield return "ConnectTimeout=" + Seconds(settings.ConnectTimeout);
        yield return "-o"; yield return "ServerAliveInterval=" + Seconds(settings.AliveInterval);
        yield return "-o"; yield return "ServerAliveCountMax=3";
        if (settings.IdentityFile is { } identity) { yield return "-i"; yield return identity; }
        if (settings.KnownHostsFile is { } known) { yield return "-o"; yield return "UserKnownHostsFile=" + known; }
        if (settings.ConfigFile is { } config) { yield return "-F"; yield return config; }
        if (host.Port is { } port) { yield return "-p"; yield return port.ToString(CultureInfo.InvariantCulture); }
    }

    private static string Destination(HostSpec host) => (host.User is null ? "" : host.User + "@") + host.Host;

    /// <summary>
    /// <paramref name="words"/> as one command line for the host's login shell (sh, bash, zsh, fish alike): each in
    /// single quotes. A word with a single quote in it is refused: no quoting of it is the same in every shell.
    /// </summary>
    public static string Quote(IEnumerable<string> words) => string.Join(' ', words.Select(word =>
        word.Contains('\'') ? throw new ArgumentException($"\"{word}\" holds a single quote") : $"'{word}'"));
}
