using System.Collections.Concurrent;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;
using static ClusterPool.Contracts.Serialization.HyperionItems;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Dictionaries and sets with their comparer. Hyperion rebuilds a <c>Dictionary</c> or <c>HashSet</c> with the default
/// comparer, so one built with <see cref="StringComparer.OrdinalIgnoreCase"/> silently stopped finding "aapl" after a
/// round trip. Here the comparer travels first (the standard string comparers by name, any other as an object), then
/// the entries, and the collection is rebuilt around it: <see cref="Dictionary{TKey,TValue}"/>,
/// <see cref="HashSet{T}"/>, <see cref="SortedDictionary{TKey,TValue}"/> and <see cref="SortedSet{T}"/>.
/// </summary>
/// <param name="preserveObjectReferences">As the serializer's own option (which Hyperion does not make public).</param>
internal sealed class ComparerCollectionsFactory(bool preserveObjectReferences) : ValueSerializerFactory
{
    private static readonly Dictionary<Type, Type> Codecs = new()
    {
        [typeof(Dictionary<,>)] = typeof(DictionaryCodec<,>),
        [typeof(HashSet<>)] = typeof(HashSetCodec<>),
        [typeof(SortedDictionary<,>)] = typeof(SortedDictionaryCodec<,>),
        [typeof(SortedSet<>)] = typeof(SortedSetCodec<>),
    };

    public override bool CanSerialize(Serializer serializer, Type type) =>
        type.IsGenericType && Codecs.ContainsKey(type.GetGenericTypeDefinition());

    public override bool CanDeserialize(Serializer serializer, Type type) => CanSerialize(serializer, type);

    public override ValueSerializer BuildSerializer(Serializer serializer, Type type, ConcurrentDictionary<Type,
        ValueSerializer> typeMapping)
    {
        var codec = (ICodec)Activator.CreateInstance(Codecs[type.GetGenericTypeDefinition()].MakeGenericType(
            type.GetGenericArguments()))!;
        var preserve = preserveObjectReferences;
        var objectSerializer = new ObjectSerializer(type);
        typeMapping.TryAdd(type, objectSerializer);
        objectSerializer.Initialize(
            (stream, session) =>
            {
                // The comparer is read before the collection exists, so it is written before the collection is tracked.
                var comparer = ReadComparer(stream, session);
                var collection = codec.Create(comparer);
                if (preserve) session.TrackDeserializedObject(collection);
                codec.ReadEntries(collection, stream, session);
                return collection;
            },
            (stream, collection, session) =>
            {
                WriteComparer(stream, codec.Comparer(collection), session, preserve);
                if (preserve) session.TrackSerializedObject(collection);
                codec.WriteEntries(collection, stream, session, preserve);
            });
        return objectSerializer;
    }

    // The standard string comparers travel as a number: the other process gets the same singleton (and its fast paths).
    // Not the current culture's: "current" is the sender's culture, which travels by name (CulturesFactory).
    private static readonly StringComparer[] Standard =
    [
        StringComparer.Ordinal, StringComparer.OrdinalIgnoreCase, StringComparer.InvariantCulture,
        StringComparer.InvariantCultureIgnoreCase,
    ];

    // 1..4: Standard[tag - 1]. Tags 5 and 6 (the current culture's comparers) are no longer written, but a checkpoint
    // may hold them: they are read as the reader's current culture, as they always were.
    private const byte DefaultComparer = 0, CurrentCulture = 5, CurrentCultureIgnoreCase = 6, OtherComparer = 255;

    private static void WriteComparer(Stream stream, object? comparer, SerializerSession session, bool preserve)
    {
        var standard = Array.FindIndex(Standard, s => s.Equals(comparer));
        if (comparer is null) stream.WriteByte(DefaultComparer);
        else if (standard >= 0) stream.WriteByte((byte)(standard + 1));
        else
        {
            stream.WriteByte(OtherComparer);
            WriteItem(stream, comparer, session, preserve);
        }
    }

    private static object? ReadComparer(Stream stream, DeserializerSession session) => stream.ReadByte() switch
    {
        DefaultComparer => null,
        OtherComparer => ReadItem(stream, session),
        var tag and > 0 and <= 4 => Standard[tag - 1],
        CurrentCulture => StringComparer.CurrentCulture,
        CurrentCultureIgnoreCase => StringComparer.CurrentCultureIgnoreCase,
        var tag => throw new InvalidDataException($"unknown comparer tag {tag}"),
    };

    /// <summary>How one kind of collection is taken apart and rebuilt.</summary>
    private interface ICodec
    {
        /// <summary>The collection's comparer, or null for the element type's default.</summary>
        object? Comparer(object collection);
        object Create(object? comparer);
        void WriteEntries(object collection, Stream stream, SerializerSession session, bool preserve);
        void ReadEntries(object collection, Stream stream, DeserializerSession session);
    }

    private abstract class PairCodec<K, V, D> : ICodec where D : IDictionary<K, V>
    {
        public abstract object? Comparer(object collection);
        public abstract object Create(object? comparer);

        public void WriteEntries(object collection, Stream stream, SerializerSession session, bool preserve)
        {
            var dictionary = (D)collection;
            WriteCount(stream, dictionary.Count);
            foreach (var (key, value) in dictionary)
            {
                WriteItem(stream, key, session, preserve);
                WriteItem(stream, value, session, preserve);
            }
        }

        public void ReadEntries(object collection, Stream stream, DeserializerSession session)
        {
            var dictionary = (D)collection;
            for (var count = ReadCount(stream); count > 0; count--)
            {
                var key = (K)ReadItem(stream, session)!;
                dictionary.Add(key, (V)ReadItem(stream, session)!);
            }
        }
    }

    private abstract class SetCodec<T, S> : ICodec where S : ISet<T>
    {
        public abstract object? Comparer(object collection);
        public abstract object Create(object? comparer);

        public void WriteEntries(object collection, Stream stream, SerializerSession session, bool preserve)
        {
            var set = (S)collection;
            WriteCount(stream, set.Count);
            foreach (var item in set) WriteItem(stream, item, session, preserve);
        }

        public void ReadEntries(object collection, Stream stream, DeserializerSession session)
        {
            var set = (S)collection;
            for (var count = ReadCount(stream); count > 0; count--) set.Add((T)ReadItem(stream, session)!);
        }
    }

    private sealed class DictionaryCodec<K, V> : PairCodec<K, V, Dictionary<K, V>> where K : notnull
    {
        public override object? Comparer(object collection) => NullIfDefault(((Dictionary<K, V>)collection).Comparer);
        public override object Create(object? comparer) => new Dictionary<K, V>((IEqualityComparer<K>?)comparer);
    }

    private sealed class SortedDictionaryCodec<K, V> : PairCodec<K, V, SortedDictionary<K, V>> where K : notnull
    {
        public override object? Comparer(object collection) =>
            NullIfDefault(((SortedDictionary<K, V>)collection).Comparer);
        public override object Create(object? comparer) => new SortedDictionary<K, V>((IComparer<K>?)comparer);
    }

    private sealed class HashSetCodec<T> : SetCodec<T, HashSet<T>>
    {
        public override object? Comparer(object collection) => NullIfDefault(((HashSet<T>)collection).Comparer);
        public override object Create(object? comparer) => new HashSet<T>((IEqualityComparer<T>?)comparer);
    }

    private sealed class SortedSetCodec<T> : SetCodec<T, SortedSet<T>>
    {
        public override object? Comparer(object collection) => NullIfDefault(((SortedSet<T>)collection).Comparer);
        public override object Create(object? comparer) => new SortedSet<T>((IComparer<T>?)comparer);
    }

    private static object? NullIfDefault<T>(IEqualityComparer<T> comparer) =>
        ReferenceEquals(comparer, EqualityComparer<T>.Default) ? null : comparer;

    private static object? NullIfDefault<T>(IComparer<T> comparer) =>
        ReferenceEquals(comparer, Comparer<T>.Default) ? null : comparer;
}
