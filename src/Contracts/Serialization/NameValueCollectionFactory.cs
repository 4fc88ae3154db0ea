using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Reflection;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;
using static ClusterPool.Contracts.Serialization.HyperionItems;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// A <see cref="NameValueCollection"/> (query strings, headers, settings) with its comparer, its keys in order and
/// each key's values. Hyperion took it for a list and failed to send it ("Ambiguous match found for ... Add"); once
/// that failed, the next one sent from the same process hung. Here the comparer travels as a dictionary's does
/// (<see cref="ComparerCollectionsFactory"/>: the default one is case-insensitive, and stays so), then each entry's
/// key and values, and the collection is rebuilt with them. A subclass of it is refused
/// (<see cref="RefuseLiveStateFactory"/>).
/// </summary>
/// <param name="preserveObjectReferences">As the serializer's own option (which Hyperion does not make public).</param>
internal sealed class NameValueCollectionFactory(bool preserveObjectReferences) : ValueSerializerFactory
{
    // The comparer it was made with; .NET keeps it in a private field of NameObjectCollectionBase.
    private static readonly FieldInfo? KeyComparer = typeof(NameObjectCollectionBase).GetField("_keyComparer",
        BindingFlags.Instance | BindingFlags.NonPublic);

    public override bool CanSerialize(Serializer serializer, Type type) => type == typeof(NameValueCollection);

    public override bool CanDeserialize(Serializer serializer, Type type) => CanSerialize(serializer, type);

    public override ValueSerializer BuildSerializer(Serializer serializer, Type type, ConcurrentDictionary<Type,
        ValueSerializer> typeMapping)
    {
        var preserve = preserveObjectReferences;
        var objectSerializer = new ObjectSerializer(type);
        typeMapping.TryAdd(type, objectSerializer);
        objectSerializer.Initialize(
            (stream, session) =>
            {
                var comparer = (IEqualityComparer?)ComparerCollectionsFactory.ReadComparer(stream, session);
                var collection = comparer is null ? new NameValueCollection() : new NameValueCollection(comparer);
                if (preserve) session.TrackDeserializedObject(collection);
                var count = ReadLength(stream, typeof(NameValueCollection), 2);
                for (var i = 0; i < count; i++)
                {
                    var key = (string?)ReadItem(stream, session);
                    if (ReadItem(stream, session) is not string?[] values) collection.Add(key, null);
                    else
                    {
                        // Set keeps a first value that is null (Set(key, null)); Add adds the others.
                        collection.Set(key, values.Length == 0 ? null : values[0]);
                        foreach (var value in values.Skip(1)) collection.Add(key, value);
                    }
                }
                return collection;
            },
            (stream, value, session) =>
            {
                var collection = (NameValueCollection)value;
                var comparer = KeyComparer?.GetValue(collection)
                    ?? throw new InvalidOperationException("the comparer of a NameValueCollection cannot be read");
                ComparerCollectionsFactory.WriteComparer(stream, comparer, session, preserve);
                if (preserve) session.TrackSerializedObject(collection);
                WriteCount(stream, collection.Count);
                for (var i = 0; i < collection.Count; i++)
                {
                    var values = collection.GetValues(i);
                    // Only Set puts a null among a key's values, and only as the first: anything else would arrive
                    // changed.
                    if (values is [] || (values?.Skip(1).Contains(null) ?? false))
                        throw new InvalidOperationException(
                            $"the values of key \"{collection.GetKey(i)}\" of a NameValueCollection cannot be rebuilt");
                    WriteItem(stream, collection.GetKey(i), session, preserve);
                    WriteItem(stream, values, session, preserve);
                }
            });
        return objectSerializer;
    }
}
