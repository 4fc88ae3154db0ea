using System.Collections.Concurrent;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Hyperion will happily write a <see cref="Stream"/> or a <see cref="Thread"/> field by field and read back a
/// useless object, or a delegate that another process would then call. This factory claims every type that
/// <see cref="AllowedTypes"/> refuses, first, so the sender gets an error naming the type before anything is sent.
/// The refusal comes when a value of such a type is written or read, not when a type that merely declares a field of
/// one is: an object whose event has no subscriber (a null <see cref="EventHandler"/> field) or whose optional stream
/// is null crosses, as Python pickles an object whose attribute is None.
/// </summary>
internal sealed class RefuseLiveStateFactory : ValueSerializerFactory
{
    public override bool CanSerialize(Serializer serializer, Type type) =>
        AllowedTypes.Instance.WhyNot(type) is not null;

    public override bool CanDeserialize(Serializer serializer, Type type) => CanSerialize(serializer, type);

    public override ValueSerializer BuildSerializer(
        Serializer serializer, Type type, ConcurrentDictionary<Type, ValueSerializer> typeMapping)
    {
        var why = AllowedTypes.Instance.WhyNot(type)!;
        var refusing = new ObjectSerializer(type);
        typeMapping.TryAdd(type, refusing);
        refusing.Initialize((_, _) => throw new RefusedTypeException(why),
            (_, _, _) => throw new RefusedTypeException(why));
        return refusing;
    }
}
