using ClusterPool.Contracts.Launch;

namespace ClusterPool.Hosts;

/// <summary>
/// One machine of <see cref="PoolOptions.Hosts"/>: <c>[user@]host[:port] [slots=N]</c>, the form of an MPI hostfile's
/// line. Without a user, SSH's own choice applies (<c>~/.ssh/config</c>, else the local user name); without slots, the
/// host's number of cores, as a pool's <see cref="PoolOptions.Processes"/> defaults to this machine's.
/// </summary>
/// <param name="User">The login name, or null for SSH's default.</param>
/// <param name="Host">The host name or address.</param>
/// <param name="Port">The SSH port, or null for SSH's default (22, or what <c>~/.ssh/config</c> says).</param>
/// <param name="Slots">Tasks the host runs at once, or null for its number of cores.</param>
internal sealed record HostSpec(string? User, string Host, int? Port, int? Slots)
{
    /// <summary>How the host is named in messages and statistics: <c>user@host:port</c> as given.</summary>
    public string Name => $"{(User is null ? "" : User + "@")}{(Host.Contains(':') ? $"[{Host}]" : Host)}" +
        (Port is { } port ? $":{port}" : "");

    /// <summary>Reads one entry; throws <see cref="ArgumentException"/> naming what is wrong with it.</summary>
    public static HostSpec Parse(string entry)
    {
        var parts = entry.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new ArgumentException("a host entry is empty");
        int? slots = null;
        foreach (var extra in parts.Skip(1))
        {
            if (!extra.StartsWith("slots=", StringComparison.Ordinal)
                || !int.TryParse(extra["slots=".Length..], out var count) || count < 1
                || count > WorkerCommandLine.MostSlots)
                throw new ArgumentException($"host entry \"{entry}\": \"{extra}\" is not slots=N (a whole number " +
                    $"from 1 to {WorkerCommandLine.MostSlots:N0}: a slot is a thread)");
            slots = count;
        }
        var address = parts[0];
        string? user = null;
        var at = address.LastIndexOf('@');
        if (at >= 0) (user, address) = (address[..at], address[(at + 1)..]);
        if (user is "") throw new ArgumentException($"host entry \"{entry}\" has an empty user name before @");
        var (host, port) = SplitPort(address, entry);
        if (host.Length == 0) throw new ArgumentException($"host entry \"{entry}\" names no host");
        return new HostSpec(user, host, port, slots);
    }

    /// <summary>Reads a hosts file: one entry per line; blank lines and <c>#</c> comments are skipped.</summary>
    /// <exception cref="ArgumentException">A line is not an entry; the message names the file and line.</exception>
    public static IReadOnlyList<HostSpec> ReadFile(string path)
    {
        var hosts = new List<HostSpec>();
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Split('#')[0].Trim();
            if (line.Length == 0) continue;
            try { hosts.Add(Parse(line)); }
            catch (ArgumentException e) { throw new ArgumentException($"{path}, line {number}: {e.Message}"); }
        }
        return hosts;
    }

    // host, host:port, [v6], [v6]:port
    private static (string Host, int? Port) SplitPort(string address, string entry)
    {
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']');
            if (close < 0) throw new ArgumentException($"host entry \"{entry}\" opens [ without ]");
            var rest = address[(close + 1)..];
            return (address[1..close], rest.Length == 0 ? null : ReadPort(rest.TrimStart(':'), entry));
        }
        var colon = address.LastIndexOf(':');
        if (colon < 0 || address.IndexOf(':') != colon) return (address, null);
        return (address[..colon], ReadPort(address[(colon + 1)..], entry));
    }

    private static int ReadPort(string text, string entry) =>
        int.TryParse(text, out var port) && port is > 0 and < 65536 ? port
            : throw new ArgumentException($"host entry \"{entry}\": \"{text}\" is not a port (1-65535)");
}
