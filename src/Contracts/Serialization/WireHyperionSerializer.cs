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
internal sealed class WireHyperionSerializer(ExtendedActorSystem system) : Serializer(system)
{
    // Made on first use, not with the actor system: building Hyperion's serializer (it compiles an expression for each
    // of its value types) was ~60 ms of every actor system's start, a pool's and each worker's, on the way to the first
    // result; the messages every task crosses have a serializer of their own, and many runs send none through this one.
    private readonly Lazy<HyperionSerializer> _hyperion = new(() => new HyperionSerializer(system,
        HyperionSerializerSettings.Default.WithTypeFilter(AllowedTypes.Instance)));

    /// <summary>Whether Hyperion's serializer was made (a message went through it).</summary>
    internal bool IsBuilt => _hyperion.IsValueCreated;

    /// <summary>Hyperion's own identifier: the bytes on the wire are Hyperion's.</summary>
    public override int Identifier => -5;

    /// <inheritdoc />
    public override bool IncludeManifest => false;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => _hyperion.Value.ToBinary(obj);

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, Type type)
    {
        try { return _hyperion.Value.FromBinary(bytes, type); }
        catch (Exception e) when (PayloadSerializer.Refusal(e) is { } refusal)
        {
            // Hyperion and Akka wrap the refusal twice over; the reason alone is what the log should say.
            throw new SerializationException($"ClusterPool refused a message: {PayloadSerializer.Why(refusal)}",
                refusal);
        }
    }
}
