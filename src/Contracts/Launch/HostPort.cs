namespace ClusterPool.Contracts.Launch;

/// <summary>A <c>HOST:PORT</c> address as the pool and its workers write it (<c>--join</c>, a pool's
/// address).</summary>
internal static class HostPort
{
    /// <summary>Splits <c>HOST:PORT</c>; throws <see cref="ArgumentException"/> naming <paramref name="what"/> and the
    /// value.</summary>
    public static (string Host, int Port) Parse(string text, string what = WorkerCommandLine.Join)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out var port) || port is <= 0 or > 65535)
            throw new ArgumentException($"{what} must be HOST:PORT (for example 10.0.0.5:4053), not \"{text}\"");
        return (text[..colon], port);
    }

    /// <summary>True for <c>localhost</c> and a loopback address: only this machine's processes reach it.</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
}
