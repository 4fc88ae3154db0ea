using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Collections that Hyperion's own factories take and cannot handle. It writes every
/// <see cref="IDictionary{TKey,TValue}"/> as its entries and rebuilds it with a constructor without parameters and
/// <c>Add</c>, also one that has no such constructor: such a value (a <c>System.Text.Json</c> <c>JsonObject</c>, the
/// application's own dictionary made with a comparer) was sent, and then failed its item and every other item of its
/// chunk where it arrived. And it looks up a counted collection's <c>Add</c> by name and calls it with an item: a class
/// with two (<c>Add(int)</c> and <c>Add(string)</c>), or whose <c>Add</c> takes something else than its items, failed
/// to send ("Ambiguous match"), and the next value of that type in the same process hung for ever (Hyperion waits for
/// a serializer that was never finished). This factory, placed after ClusterPool's
/// own collection factories, takes those types: the application's own, and .NET's that hold their entries in other
/// collections, travel field by field like any other object (their inner collections by their own rules, comparers
/// kept); one that derives from a .NET collection, whose entries field by field would be kept by this process's hash
/// codes, is refused, saying what to change.
/// </summary>
internal sealed class UnbuildableCollectionsFactory : ValueSerializerFactory
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    public override bool CanSerialize(Serializer serializer, Type type) => WhyUnbuildable(type) is not null;

    public override bool CanDeserialize(Serializer serializer, Type type) => CanSerialize(serializer, type);

    public override ValueSerializer BuildSerializer(
        Serializer serializer, Type type, ConcurrentDictionary<Type, ValueSerializer> typeMapping)
    {
        var objectSerializer = new ObjectSerializer(type);
        typeMapping.TryAdd(type, objectSerializer);
        // .NET's own collection with several Adds (a BlockingCollection): what its fields hold is not known here.
        var refused = RefuseLiveStateFactory.FrameworkCollectionBase(type)
            ?? (FrameworkAssemblies.Contains(type.Assembly) && !RefuseLiveStateFactory.IsDictionary(type)
                ? type : null);
        if (refused is { } collection)
        {
            var why = (collection == type ? $"type {AllowedTypes.Readable(type)} "
                : $"type {AllowedTypes.Readable(type)} derives from {AllowedTypes.Readable(collection)}, which ") +
                $"travels as its entries and is rebuilt by {WhyUnbuildable(type)}";
            RefusedTypeException.Refuse(objectSerializer, why);
        }
        else serializer.CodeGenerator.BuildSerializer(serializer, objectSerializer);
        return objectSerializer;
    }

    /// <summary>Whether Hyperion's own factories write a value of <paramref name="type"/> as its entries and can
    /// rebuild it from them (a dictionary, or a counted collection): its other fields do not travel.</summary>
    internal static bool RebuiltFromEntries(Type type)
    {
        var parameterless = type.GetConstructor(Instance, Type.EmptyTypes) is not null;
        return RefuseLiveStateFactory.IsDictionary(type) ? parameterless
            : TakenAsCounted(type, parameterless) && CountedBuildFails(type, parameterless) is null;
    }

    /// <summary>Why Hyperion's own factories could not rebuild a value of <paramref name="type"/>, in words that end
    /// the refusal's sentence; null when they can.</summary>
    private static string? WhyUnbuildable(Type type)
    {
        if (type.IsValueType || type.IsAbstract || type.IsArray || type.Namespace == "System.Collections.Immutable"
            || !typeof(IEnumerable).IsAssignableFrom(type) || type == typeof(string)) return null;
        var parameterless = type.GetConstructor(Instance, Type.EmptyTypes) is not null;
        if (RefuseLiveStateFactory.IsDictionary(type))
            return parameterless ? null
                : "a constructor without parameters and Add, and it has none: add one (it may be private), or send a " +
                    "Dictionary<TKey, TValue>";
        return TakenAsCounted(type, parameterless) ? CountedBuildFails(type, parameterless) : null;
    }

    /// <summary>
    /// Why Hyperion's factory of counted collections would fail to make its serializer for <paramref name="type"/>
    /// (and then wait for ever for that serializer on the type's next value), or null: the steps of its build that can
    /// throw, tried here.
    /// </summary>
    private static string? CountedBuildFails(Type type, bool parameterless)
    {
        var item = ItemOf(type);
        try { _ = type.GetProperty("Count"); }
        catch (AmbiguousMatchException)
        {
            return "its one property named Count, and it has several (one hides another): send a List<T>";
        }
        try
        {
            if (type.GetMethod("Add", Instance) is not { } add || !parameterless) return null;
            // what Hyperion compiles: ((T)instance).Add((TItem)item)
            _ = Expression.Call(Expression.Convert(Expression.Parameter(typeof(object)), type), add,
                Expression.Convert(Expression.Parameter(typeof(object)), item));
            return null;
        }
        catch (AmbiguousMatchException)
        {
            return "its one method named Add, and it has several: give the others another name, or send a List<T>";
        }
        catch (ArgumentException)
        {
            return $"its method Add, which must take one item of the {AllowedTypes.Readable(item)}s it holds: make " +
                "it so, or send a List<T>";
        }
    }

    private static Type ItemOf(Type type) => type.GetInterfaces().FirstOrDefault(i => i.IsGenericType
        && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0] ?? typeof(object);

    /// <summary>Whether Hyperion's factory of counted collections takes <paramref name="type"/>: a Count, and a
    /// constructor that takes the items or one without parameters and an Add of one item.</summary>
    private static bool TakenAsCounted(Type type, bool parameterless)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Stack<>)) return false;
        if (!type.GetProperties(Instance).Any(p => p.Name == "Count" && p.PropertyType == typeof(int))) return false;
        var items = typeof(IEnumerable<>).MakeGenericType(ItemOf(type));
        return type.GetConstructors(Instance).Any(c => c.GetParameters() is [var only] && only.ParameterType == items)
            || (parameterless && type.GetMethods(Instance).Any(m => m.Name == "Add" && !m.IsStatic
                && m.GetParameters().Length == 1 && (m.ReturnType == typeof(void) || m.ReturnType == typeof(bool))));
    }
}
