using System.Collections.Concurrent;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;
using static ClusterPool.Contracts.Serialization.HyperionItems;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Arrays of immutable collections (<c>ImmutableArray&lt;int&gt;[]</c>: Map's arguments or results when each item is
/// one). An array type's namespace is its element type's, so Hyperion took such an array for an immutable collection
/// and read it back as an <c>ImmutableArray&lt;ImmutableArray&lt;int&gt;&gt;</c>, which is not an array ("Unable to
/// cast ... to System.Array"). Claimed here first, they travel as the plain arrays they are.
/// </summary>
internal sealed class ImmutableElementArraysFactory(bool preserveObjectReferences) : ValueSerializerFactory
{
    private const string ImmutableNamespace = "System.Collections.Immutable";

    public override bool CanSerialize(Serializer serializer, Type type) =>
        type.IsSZArray && type.GetElementType()!.Namespace == ImmutableNamespace;

    public override bool CanDeserialize(Serializer serializer, Type type) => CanSerialize(serializer, type);

    public override ValueSerializer BuildSerializer(Serializer serializer, Type type, ConcurrentDictionary<Type,
        ValueSerializer> typeMapping)
    {
        var element = type.GetElementType()!;
        var objectSerializer = new ObjectSerializer(type);
        typeMapping.TryAdd(type, objectSerializer);
        objectSerializer.Initialize(
            (stream, session) =>
            {
                // an entry takes a byte at least
                var array = Array.CreateInstance(element, ReadLength(stream, type, 1));
                if (preserveObjectReferences) session.TrackDeserializedObject(array);
                for (var i = 0; i < array.Length; i++) array.SetValue(ReadItem(stream, session), i);
                return array;
            },
            (stream, value, session) =>
            {
                var array = (Array)value;
                WriteCount(stream, array.Length);
                if (preserveObjectReferences) session.TrackSerializedObject(array);
                foreach (var item in array) WriteItem(stream, item, session, preserveObjectReferences);
            });
        return objectSerializer;
    }
}
