using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Akka.Event;

namespace ClusterPool.Contracts.Security;

/// <summary>
/// Akka's lines about failed TLS handshakes, which repeat at every reconnection attempt, turned into one line per peer
/// address. A connection that closes before saying anything (a worker checking that the pool's port answers, a port
/// scanner) is no news and says nothing; the peers refused for their certificate are reported by
/// <see cref="ClusterTls"/>. Bytes of another protocol on a plain-text connection (DotNetty's
/// <c>TooLongFrameException</c>, with its stack trace: the first bytes read as a frame length far past the limit) are
/// one line per address too.
/// </summary>
internal sealed partial class TlsLogLines
{
    private readonly ConcurrentDictionary<string, bool> _told = new();
    private readonly ConcurrentDictionary<string, bool> _quiet = new();

    // Akka.Remote's words for a TLS handshake that did not happen: a failure, a peer without a certificate, a peer
    // speaking plain text to a TLS port.
    private static readonly string[] TlsWords = ["TLS handshake fail", "did not provide a certificate",
        "NotSslRecordException"];

    /// <summary>
    /// Whether <paramref name="e"/> is about a TLS handshake, and if so the line to write instead (null: write
    /// nothing).
    /// </summary>
    public (bool IsTls, string? Text) Rewrite(LogEvent e)
    {
        if (e.Cause?.GetType().Name == "TooLongFrameException") return (true, OtherProtocol(e));
        var message = $"{e.Message} {e.Cause?.GetType().Name}"; // a plain-text peer is named by the cause alone
        if (!TlsWords.Any(word => message.Contains(word, StringComparison.OrdinalIgnoreCase))) return (false, null);
        var endpoint = EndpointPattern().Match(message);
        var (address, port) = endpoint.Success ? (endpoint.Groups["ip"].Value, endpoint.Groups["port"].Value) : (
            "an unknown address", "");
        // A connection closed before its first byte: Akka says so, then that it rejected it; both are no news.
        if (message.Contains("Channel is closed", StringComparison.Ordinal)) { _quiet.TryAdd(
            $"{address}:{port}", true); return (true, null); }
        if (_quiet.TryRemove($"{address}:{port}", out _)) return (true, null);
        if (!_told.TryAdd(address, true)) return (true, null);
        return (true,
            $"a TLS handshake with {address} failed: a node without this cluster's certificate, or one speaking " +
            "plain text " +
                      "(it is refused; this is said once per address)");
    }

    /// <summary>
    /// A plain-text connection that got bytes of another protocol: a TLS handshake from a node started with a
    /// certificate (or a worker host checking why it is not welcome), or another program. Said once per address and
    /// direction; the connection is closed.
    /// </summary>
    private string? OtherProtocol(LogEvent e)
    {
        var endpoint = EndpointPattern().Match($"{e.Message}");
        var (address, port) = endpoint.Success ? (endpoint.Groups["ip"].Value, endpoint.Groups["port"].Value) : (
            "an unknown address", "");
        // A connection this node made (it joins, or reaches a worker) versus one made to it.
        var outbound = $"{e.LogSource}".Contains("TcpClientHandler", StringComparison.Ordinal);
        if (!_told.TryAdd($"{(outbound ? "to" : "from")} {address}", true)) return null;
        return outbound
            ? $"what answers at {address}:{port} does not speak ClusterPool's plain-text protocol (not a ClusterPool " +
              "node, or one that requires TLS): its connection is closed (said once per address)"
            : $"{address} sent bytes of another protocol to this node's plain-text port (a TLS handshake from a node " +
              "started with a certificate, or another program): its connection is closed (said once per address)";
    }

    /// <summary>A peer's address without its port (which changes at every attempt): <c>[::ffff:10.0.0.7]:41996</c> →
    /// <c>10.0.0.7</c>.</summary>
    public static string AddressOnly(string peer) =>
        EndpointPattern().Match($"from [{peer}]") is { Success: true } m ? m.Groups["ip"].Value : peer;

    // "from [[::ffff:10.0.0.7]:41996]" or "->[::ffff:10.0.0.7]:41996]".
    [GeneratedRegex(@"(?:from \[?|->)\[(?:::ffff:)?(?<ip>[^\]]+)\]:(?<port>\d+)")]
    private static partial Regex EndpointPattern();
}
