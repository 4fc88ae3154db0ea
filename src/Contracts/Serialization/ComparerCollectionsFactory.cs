using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;
using static ClusterPool.Contracts.Serialization.HyperionItems;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Dictionaries and sets with their comparer. Hyperion rebuilds a <c>Dictionary</c>, a <c>ConcurrentDictionary</c>
/// or an immutable dictionary or set with the default comparer, so one built with
/// <see cref="StringComparer.OrdinalIgnoreCase"/> silently stopped finding "aapl" after a round trip (a sorted one
/// with a descending comparer came back ascending).
/// Here the comparers travel first (the standard string comparers by name, any other as an object), then the entries,
/// and the collection is rebuilt around them. A <see cref="ReadOnlyDictionary{TKey,TValue}"/> travels as the dictionary
/// it wraps. A frozen dictionary or set (whose lookups ran on this process's hash codes, and which Hyperion could not
/// rebuild) travels as its entries and comparer and is frozen again on arrival.
/// </summary>
/// <param name="preserveObjectReferences">As the serializer's own option (which Hyperion does not make public).</param>
/// <param name="keyOrder">Writes the entries of collections kept in hash order (immutable and concurrent ones) in key
/// order, for bytes that are the same in every process (an argument's hash); they read back alike.</param>
internal sealed class ComparerCollectionsFactory(bool preserveObjectReferences, bool keyOrder = false)
    : ValueSerializerFactory
{
    private static readonly Dictionary<Type, Type> Codecs = new()
    {
        [typeof(Dictionary<,>)] = typeof(DictionaryCodec<,>),
        [typeof(HashSet<>)] = typeof(HashSetCodec<>),
        [typeof(SortedDictionary<,>)] = typeof(SortedDictionaryCodec<,>),
        [typeof(SortedSet<>)] = typeof(SortedSetCodec<>),
        [typeof(SortedList<,>)] = typeof(SortedListCodec<,>),
        [typeof(ConcurrentDictionary<,>)] = typeof(ConcurrentDictionaryCodec<,>),
        [typeof(ImmutableDictionary<,>)] = typeof(ImmutableDictionaryCodec<,>),
        [typeof(ImmutableSortedDictionary<,>)] = typeof(ImmutableSortedDictionaryCodec<,>),
        [typeof(ImmutableHashSet<>)] = typeof(ImmutableHashSetCodec<>),
        [typeof(ImmutableSortedSet<>)] = typeof(ImmutableSortedSetCodec<>),
        [typeof(ReadOnlyDictionary<,>)] = typeof(ReadOnlyDictionaryCodec<,>),
        [typeof(OrderedDictionary<,>)] = typeof(OrderedDictionaryCodec<,>),
    };

    // Abstract collections whose values are of .NET's own internal subclasses (one per shape of key), each rebuilt by
    // the base's codec.
    private static readonly Dictionary<Type, Type> BaseCodecs = new()
    {
        [typeof(FrozenDictionary<,>)] = typeof(FrozenDictionaryCodec<,>),
        [typeof(FrozenSet<>)] = typeof(FrozenSetCodec<>),
    };

    public override bool CanSerialize(Serializer serializer, Type type) => CodecOf(type) is not null;

    public override bool CanDeserialize(Serializer serializer, Type type) => CanSerialize(serializer, type);

    public override ValueSerializer BuildSerializer(Serializer serializer, Type type, ConcurrentDictionary<Type,
        ValueSerializer> typeMapping)
    {
        var codec = (Codec)Activator.CreateInstance(CodecOf(type)!)!;
        var preserve = preserveObjectReferences;
        var ordered = keyOrder;
        var objectSerializer = new ObjectSerializer(type);
        typeMapping.TryAdd(type, objectSerializer);
        objectSerializer.Initialize(
            (stream, session) =>
            {
                // The comparers are read before the collection exists, so they are written before it is tracked.
                var comparers = new object?[codec.ComparerCount];
                for (var i = 0; i < comparers.Length; i++) comparers[i] = ReadComparer(stream, session);
                var target = codec.Create(comparers);
                if (preserve) session.TrackDeserializedObject(target);
                codec.ReadEntries(target, stream, session);
                var collection = codec.Finish(target);
                if (preserve && !ReferenceEquals(collection, target))
                    session.ReplaceOrAddTrackedDeserializedObject(target, collection);
                return collection;
            },
            (stream, collection, session) =>
            {
                foreach (var comparer in codec.Comparers(collection))
                    WriteComparer(stream, comparer, session, preserve);
                if (preserve) session.TrackSerializedObject(collection);
                codec.WriteEntries(collection, stream, session, preserve, ordered);
            });
        return objectSerializer;
    }

    /// <summary>The codec that takes <paramref name="type"/> apart, made for its type arguments; null if none
    /// does.</summary>
    private static Type? CodecOf(Type type)
    {
        if (type.IsGenericType && Codecs.TryGetValue(type.GetGenericTypeDefinition(), out var codec))
            return codec.MakeGenericType(type.GetGenericArguments());
        for (var part = type.BaseType; part is not null; part = part.BaseType)
            if (part.IsGenericType && BaseCodecs.TryGetValue(part.GetGenericTypeDefinition(), out var frozen))
                return frozen.MakeGenericType(part.GetGenericArguments());
        return null;
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

    internal static void WriteComparer(Stream stream, object? comparer, SerializerSession session, bool preserve)
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

    internal static object? ReadComparer(Stream stream, DeserializerSession session) => stream.ReadByte() switch
    {
        DefaultComparer => null,
        OtherComparer => ReadItem(stream, session),
        var tag and > 0 and <= 4 => Standard[tag - 1],
        CurrentCulture => StringComparer.CurrentCulture,
        CurrentCultureIgnoreCase => StringComparer.CurrentCultureIgnoreCase,
        var tag => throw new InvalidDataException($"unknown comparer tag {tag}"),
    };

    /// <summary>How one kind of collection is taken apart and rebuilt.</summary>
    private abstract class Codec
    {
        /// <summary>How many comparers the collection has (its keys', an immutable dictionary's values' too).</summary>
        public virtual int ComparerCount => 1;

        /// <summary>The collection's comparers, each null for the element type's default.</summary>
        public abstract object?[] Comparers(object collection);

        /// <summary>An empty collection, or a builder of one, to read the entries into.</summary>
        public abstract object Create(object?[] comparers);

        public abstract void WriteEntries(object collection, Stream stream, SerializerSession session, bool preserve,
            bool keyOrder);
        public abstract void ReadEntries(object target, Stream stream, DeserializerSession session);

        /// <summary>The collection that <paramref name="target"/> holds (an immutable one is built here).</summary>
        public virtual object Finish(object target) => target;

        /// <summary>True for a collection whose entries come in the order of their hash codes.</summary>
        protected virtual bool HashOrdered => false;

        /// <summary>The entries to write: in key order when <paramref name="keyOrder"/> asks and their order follows
        /// hash codes.</summary>
        protected IEnumerable<E> Ordered<E, K>(IEnumerable<E> entries, bool keyOrder, Func<E, K> key) =>
            keyOrder && HashOrdered ? InKeyOrder(entries, key) : entries;
    }

    private abstract class PairCodec<K, V> : Codec
    {
        public override void WriteEntries(object collection, Stream stream, SerializerSession session, bool preserve,
            bool keyOrder)
        {
            var entries = (IReadOnlyCollection<KeyValuePair<K, V>>)collection;
            WriteCount(stream, entries.Count);
            foreach (var (key, value) in Ordered(entries, keyOrder, entry => entry.Key))
            {
                WriteItem(stream, key, session, preserve);
                WriteItem(stream, value, session, preserve);
            }
        }

        public override void ReadEntries(object target, Stream stream, DeserializerSession session)
        {
            var dictionary = (IDictionary<K, V>)target;
            for (var count = ReadCount(stream); count > 0; count--)
            {
                var key = (K)ReadItem(stream, session)!;
                dictionary.Add(key, (V)ReadItem(stream, session)!);
            }
        }
    }

    private abstract class SetCodec<T> : Codec
    {
        public override void WriteEntries(object collection, Stream stream, SerializerSession session, bool preserve,
            bool keyOrder)
        {
            var set = (IReadOnlyCollection<T>)collection;
            WriteCount(stream, set.Count);
            foreach (var item in Ordered(set, keyOrder, item => item)) WriteItem(stream, item, session, preserve);
        }

        public override void ReadEntries(object target, Stream stream, DeserializerSession session)
        {
            var set = (ISet<T>)target;
            for (var count = ReadCount(stream); count > 0; count--) set.Add((T)ReadItem(stream, session)!);
        }
    }

    private sealed class DictionaryCodec<K, V> : PairCodec<K, V> where K : notnull
    {
        public override object?[] Comparers(object collection) =>
            [NullIfDefault(((Dictionary<K, V>)collection).Comparer)];
        public override object Create(object?[] comparers) =>
            new Dictionary<K, V>((IEqualityComparer<K>?)comparers[0]);
    }

    private sealed class SortedDictionaryCodec<K, V> : PairCodec<K, V> where K : notnull
    {
        public override object?[] Comparers(object collection) =>
            [NullIfDefault(((SortedDictionary<K, V>)collection).Comparer)];
        public override object Create(object?[] comparers) =>
            new SortedDictionary<K, V>((IComparer<K>?)comparers[0]);
    }

    private sealed class SortedListCodec<K, V> : PairCodec<K, V> where K : notnull
    {
        public override object?[] Comparers(object collection) =>
            [NullIfDefault(((SortedList<K, V>)collection).Comparer)];
        public override object Create(object?[] comparers) => new SortedList<K, V>((IComparer<K>?)comparers[0]);
    }

    private sealed class OrderedDictionaryCodec<K, V> : PairCodec<K, V> where K : notnull
    {
        public override object?[] Comparers(object collection) =>
            [NullIfDefault(((OrderedDictionary<K, V>)collection).Comparer)];
        public override object Create(object?[] comparers) =>
            new OrderedDictionary<K, V>((IEqualityComparer<K>?)comparers[0]);
    }

    private sealed class ConcurrentDictionaryCodec<K, V> : PairCodec<K, V> where K : notnull
    {
        protected override bool HashOrdered => true;
        public override object?[] Comparers(object collection) =>
            [NullIfDefault(((ConcurrentDictionary<K, V>)collection).Comparer)];
        public override object Create(object?[] comparers) =>
            new ConcurrentDictionary<K, V>((IEqualityComparer<K>?)comparers[0]);
    }

    private sealed class ImmutableDictionaryCodec<K, V> : PairCodec<K, V> where K : notnull
    {
        protected override bool HashOrdered => true;
        public override int ComparerCount => 2;
        public override object?[] Comparers(object collection)
        {
            var dictionary = (ImmutableDictionary<K, V>)collection;
            return [NullIfDefault(dictionary.KeyComparer), NullIfDefault(dictionary.ValueComparer)];
        }
        public override object Create(object?[] comparers) => ImmutableDictionary.CreateBuilder(
            (IEqualityComparer<K>?)comparers[0], (IEqualityComparer<V>?)comparers[1]);
        public override object Finish(object target) => ((ImmutableDictionary<K, V>.Builder)target).ToImmutable();
    }

    private sealed class ImmutableSortedDictionaryCodec<K, V> : PairCodec<K, V> where K : notnull
    {
        public override int ComparerCount => 2;
        public override object?[] Comparers(object collection)
        {
            var dictionary = (ImmutableSortedDictionary<K, V>)collection;
            return [NullIfDefault(dictionary.KeyComparer), NullIfDefault(dictionary.ValueComparer)];
        }
        public override object Create(object?[] comparers) => ImmutableSortedDictionary.CreateBuilder(
            (IComparer<K>?)comparers[0], (IEqualityComparer<V>?)comparers[1]);
        public override object Finish(object target) =>
            ((ImmutableSortedDictionary<K, V>.Builder)target).ToImmutable();
    }

    /// <summary>A read-only view travels as the dictionary it wraps (with that one's comparer).</summary>
    private sealed class ReadOnlyDictionaryCodec<K, V> : Codec where K : notnull
    {
        private static readonly PropertyInfo Wrapped = typeof(ReadOnlyDictionary<K, V>).GetProperty("Dictionary",
            BindingFlags.Instance | BindingFlags.NonPublic)!;

        public override int ComparerCount => 0;
        public override object?[] Comparers(object collection) => [];
        public override object Create(object?[] comparers) => new StrongBox<object?>();

        public override void WriteEntries(object collection, Stream stream, SerializerSession session, bool preserve,
            bool keyOrder) => WriteItem(stream, Wrapped.GetValue(collection), session, preserve);

        public override void ReadEntries(object target, Stream stream, DeserializerSession session) =>
            ((StrongBox<object?>)target).Value = ReadItem(stream, session);

        public override object Finish(object target) =>
            new ReadOnlyDictionary<K, V>((IDictionary<K, V>)((StrongBox<object?>)target).Value!);
    }

    /// <summary>Read into a dictionary with the comparer, then frozen (the internal shape that suits the keys).
    /// </summary>
    private sealed class FrozenDictionaryCodec<K, V> : PairCodec<K, V> where K : notnull
    {
        protected override bool HashOrdered => true;
        public override object?[] Comparers(object collection) =>
            [NullIfDefault(((FrozenDictionary<K, V>)collection).Comparer)];
        public override object Create(object?[] comparers) =>
            new Dictionary<K, V>((IEqualityComparer<K>?)comparers[0]);
        public override object Finish(object target)
        {
            var entries = (Dictionary<K, V>)target;
            return entries.ToFrozenDictionary(entries.Comparer);
        }
    }

    private sealed class FrozenSetCodec<T> : SetCodec<T>
    {
        protected override bool HashOrdered => true;
        public override object?[] Comparers(object collection) => [NullIfDefault(((FrozenSet<T>)collection).Comparer)];
        public override object Create(object?[] comparers) => new HashSet<T>((IEqualityComparer<T>?)comparers[0]);
        public override object Finish(object target)
        {
            var items = (HashSet<T>)target;
            return items.ToFrozenSet(items.Comparer);
        }
    }

    private sealed class HashSetCodec<T> : SetCodec<T>
    {
        public override object?[] Comparers(object collection) => [NullIfDefault(((HashSet<T>)collection).Comparer)];
        public override object Create(object?[] comparers) => new HashSet<T>((IEqualityComparer<T>?)comparers[0]);
    }

    private sealed class SortedSetCodec<T> : SetCodec<T>
    {
        public override object?[] Comparers(object collection) =>
            [NullIfDefault(((SortedSet<T>)collection).Comparer)];
        public override object Create(object?[] comparers) => new SortedSet<T>((IComparer<T>?)comparers[0]);
    }

    private sealed class ImmutableHashSetCodec<T> : SetCodec<T>
    {
        protected override bool HashOrdered => true;
        public override object?[] Comparers(object collection) =>
            [NullIfDefault(((ImmutableHashSet<T>)collection).KeyComparer)];
        public override object Create(object?[] comparers) =>
            ImmutableHashSet.CreateBuilder((IEqualityComparer<T>?)comparers[0]);
        public override object Finish(object target) => ((ImmutableHashSet<T>.Builder)target).ToImmutable();
    }

    private sealed class ImmutableSortedSetCodec<T> : SetCodec<T>
    {
        public override object?[] Comparers(object collection) =>
            [NullIfDefault(((ImmutableSortedSet<T>)collection).KeyComparer)];
        public override object Create(object?[] comparers) =>
            ImmutableSortedSet.CreateBuilder((IComparer<T>?)comparers[0]);
        public override object Finish(object target) => ((ImmutableSortedSet<T>.Builder)target).ToImmutable();
    }

    /// <summary>The entries by key (strings ordinally), where keys can be ordered; else as they come.</summary>
    private static IEnumerable<E> InKeyOrder<E, K>(IEnumerable<E> entries, Func<E, K> key) =>
        typeof(K) == typeof(string) ? entries.OrderBy(entry => (string?)(object?)key(entry), StringComparer.Ordinal)
        : typeof(IComparable<K>).IsAssignableFrom(typeof(K)) || typeof(IComparable).IsAssignableFrom(typeof(K))
            ? entries.OrderBy(key)
        : entries;

    private static object? NullIfDefault<T>(IEqualityComparer<T> comparer) =>
        ReferenceEquals(comparer, EqualityComparer<T>.Default) ? null : comparer;

    private static object? NullIfDefault<T>(IComparer<T> comparer) =>
        ReferenceEquals(comparer, Comparer<T>.Default) ? null : comparer;
}
