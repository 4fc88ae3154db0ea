using Akka.Event;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Akka.Remote's warning about a message it could not read, when the reason is ClusterPool's type filter
/// (<see cref="AllowedTypes"/>), turned into one plain line naming the sender and the refused type. Akka's own line
/// is long, names its reader actor rather than the peer, and may end in a misleading hint about serializer ids.
/// </summary>
internal static class RefusedMessageLines
{
    private const string ReaderPrefix = "endpointReader-";

    /// <summary>The line to write instead of <paramref name="e"/>, or null when it is not about a refused
    /// type.</summary>
    public static string? Rewrite(LogEvent e)
    {
        var refusal = e.Cause is null ? null : PayloadSerializer.Refusal(e.Cause);
        if (refusal is null) return null;
        return $"refused a message from {Sender(e.LogSource)}: {PayloadSerializer.Why(refusal)} " +
               "(the message was dropped; the connection and its other messages go on)";
    }

    // Akka logs from .../endpointWriter/endpointReader-akka.ssl.tcp%3A%2F%2Fclusterpool%4010.0.0.7%3A4053-1.
    private static string Sender(string? source)
    {
        var at = source?.LastIndexOf(ReaderPrefix, StringComparison.Ordinal) ?? -1;
        if (at < 0) return "another node";
        var peer = Uri.UnescapeDataString(source![(at + ReaderPrefix.Length)..]);
        var dash = peer.LastIndexOf('-');
        return dash > 0 ? peer[..dash] : peer;
    }
}
