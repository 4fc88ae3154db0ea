using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Akka's Hyperion serializer for every wire message without a serializer of its own (<c>hocon/shared.hocon</c> binds
/// it to <c>System.Object</c>), with <see cref="AllowedTypes"/> as its type filter: a message that names a type from an
/// unknown assembly, a delegate or another gadget is refused unread. Akka.Remote then logs the refusal (naming the
/// type) and drops that one message; the connection and its other messages go on.
/// </summary>
internal sealed class WireHyperionSerializer(ExtendedActorSystem system)
    : HyperionSerializer(system, HyperionSerializerSettings.Default.WithTypeFilter(AllowedTypes.Instance))
{
    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, Type type)
    {
        try { return base.FromBinary(bytes, type); }
        catch (Exception e) when (PayloadSerializer.Refusal(e) is { } refusal)
        {
            // Hyperion and Akka wrap the refusal twice over; the reason alone is what the log should say.
            throw new SerializationException($"ClusterPool refused a message: {PayloadSerializer.Why(refusal)}",
                refusal);
        }
    }
}
