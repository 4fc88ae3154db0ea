using System.Collections.Concurrent;
using System.Reflection;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Hyperion writes every <see cref="IDictionary{TKey,TValue}"/> as its entries and rebuilds it with a constructor
/// without parameters and <c>Add</c>; it writes one that has no such constructor all the same, and the reader fails.
/// Such a value (a <c>System.Text.Json</c> <c>JsonObject</c>, the application's own dictionary made with a comparer)
/// was sent, and then failed its item and every other item of its chunk where it arrived. This factory, placed after
/// ClusterPool's own collection factories, takes those types: the application's own, and .NET's that hold their
/// entries in other collections, travel field by field like any other object (their inner collections by their own
/// rules, comparers kept); one that derives from a .NET collection, whose entries field by field would be kept by this
/// process's hash codes, is refused, saying what to add.
/// </summary>
internal sealed class DictionariesWithoutConstructorFactory : ValueSerializerFactory
{
    public override bool CanSerialize(Serializer serializer, Type type) => IsUnbuildable(type);

    public override bool CanDeserialize(Serializer serializer, Type type) => CanSerialize(serializer, type);

    public override ValueSerializer BuildSerializer(
        Serializer serializer, Type type, ConcurrentDictionary<Type, ValueSerializer> typeMapping)
    {
        var objectSerializer = new ObjectSerializer(type);
        typeMapping.TryAdd(type, objectSerializer);
        if (DerivedCollection(type) is { } collection)
        {
            var why = $"type {AllowedTypes.Readable(type)} derives from {AllowedTypes.Readable(collection)}, which " +
                "travels as its entries and is rebuilt by a constructor without parameters, and it has none: add one " +
                "(it may be private), or send a Dictionary<TKey, TValue>";
            objectSerializer.Initialize((_, _) => throw new RefusedTypeException(why),
                (_, _, _) => throw new RefusedTypeException(why));
        }
        else serializer.CodeGenerator.BuildSerializer(serializer, objectSerializer);
        return objectSerializer;
    }

    /// <summary>A concrete dictionary that Hyperion's own dictionary factory would take and not rebuild.</summary>
    private static bool IsUnbuildable(Type type) =>
        !type.IsValueType && !type.IsAbstract && type.Namespace != "System.Collections.Immutable"
        && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))
        && type.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes)
            is null;

    /// <summary>The nearest of .NET's collections that <paramref name="type"/> derives from, if any.</summary>
    private static Type? DerivedCollection(Type type)
    {
        for (var part = type.BaseType; part is not null && part != typeof(object); part = part.BaseType)
            if (FrameworkAssemblies.Contains(part.Assembly) && typeof(System.Collections.IEnumerable).IsAssignableFrom(
                part)) return part;
        return null;
    }
}
