using System.Collections.Concurrent;
using System.Reflection;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// One of Hyperion's serializer factories, ClusterPool's or its own, whose build may fail without harm. A factory
/// puts an unfinished serializer in the type's place before it builds it (so that a type that holds itself finds
/// one); when the build threw, that serializer stayed unfinished, and the next value of the type written or read in
/// the same process waited for it for ever (Hyperion spins until a serializer is finished). Here a failed build
/// finishes that serializer as one that refuses the type, naming what failed: the value that found the problem and
/// every later one fail with the same clear error, and nothing waits.
/// </summary>
internal sealed class GuardedBuildFactory(ValueSerializerFactory inner) : ValueSerializerFactory
{
    /// <summary>Every factory of <paramref name="own"/>, then every one of Hyperion's own (in its order), each
    /// guarded; null when Hyperion's own list cannot be found (another Hyperion version): then only ours are.</summary>
    public static ValueSerializerFactory[] All(ValueSerializerFactory[] own) =>
        [.. own.Concat(HyperionDefaults ?? []).Select(factory => new GuardedBuildFactory(factory))];

    /// <summary>Whether Hyperion's own factories are guarded too; a test checks it stays so.</summary>
    public static bool GuardsHyperionsOwn => HyperionDefaults is not null;

    // Hyperion keeps its factories private and appends them to the ones it is given: given guarded twins first,
    // it never reaches the unguarded ones.
    private static readonly ValueSerializerFactory[]? HyperionDefaults = typeof(SerializerOptions)
        .GetField("DefaultValueSerializerFactories", BindingFlags.NonPublic | BindingFlags.Static)
        ?.GetValue(null) as ValueSerializerFactory[];

    public override bool CanSerialize(Serializer serializer, Type type) => inner.CanSerialize(serializer, type);

    public override bool CanDeserialize(Serializer serializer, Type type) => inner.CanDeserialize(serializer, type);

    public override ValueSerializer BuildSerializer(
        Serializer serializer, Type type, ConcurrentDictionary<Type, ValueSerializer> typeMapping)
    {
        try
        {
            return inner.BuildSerializer(serializer, type, typeMapping);
        }
        catch (Exception e)
        {
            var why = e.GetBaseException() is RefusedTypeException refused ? refused.Message
                : $"type {AllowedTypes.Readable(type)} cannot cross between processes: its serializer could not be " +
                    $"made ({e.GetType().Name}: {e.GetBaseException().Message}); send its data in a plain class or " +
                    "record instead";
            // The unfinished serializer may be held already (by a type that holds this one): finish that one.
            if (typeMapping.TryGetValue(type, out var placed) && placed is ObjectSerializer unfinished)
                return RefusedTypeException.Refuse(unfinished, why);
            return typeMapping.GetOrAdd(type, RefusedTypeException.Refuse(new ObjectSerializer(type), why));
        }
    }
}
