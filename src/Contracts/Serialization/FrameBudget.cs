namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// How many payload bytes fit in one Akka.Remote message. Akka.Remote drops a message bigger than
/// <c>akka.remote.dot-netty.tcp.maximum-frame-size</c> with a log line only, so every chunk and result is held under
/// it.
/// </summary>
/// <param name="FrameSize">The configured maximum frame size, in bytes.</param>
internal sealed record FrameBudget(long FrameSize)
{
    /// <summary>Room kept for the envelope: actor paths, the function reference, record fields.</summary>
    public const int EnvelopeReserve = 16 * 1024;

    /// <summary>The most payload bytes one message may carry.</summary>
    public long MaxPayload => Math.Max(1024, FrameSize - EnvelopeReserve);

    /// <summary>The error for one argument or result that cannot fit, naming both sizes and the setting.</summary>
    public PayloadTooLargeException TooLarge(string what, long size) => new(
        $"{what}: {size:N0} bytes serialized; one message can carry at most {MaxPayload:N0} bytes " +
        $"(akka.remote.dot-netty.tcp.maximum-frame-size = {FrameSize:N0} bytes, less {EnvelopeReserve:N0} for the " +
            "envelope). " +
        "Raise maximum-frame-size in your HOCON override, share a large input every task reads once with " +
            "pool.Share(value), or pass a file path or key instead of the data.");
}
