using Hyperion.ValueSerializers;

namespace ClusterPool.Contracts.Serialization;

/// <summary>A payload holds a type that may not cross between processes; the message names the type and why.</summary>
internal sealed class RefusedTypeException(string message) : Exception(message)
{
    /// <summary>Finishes <paramref name="serializer"/> as one that refuses its type, saying <paramref name="why"/>,
    /// when a value of it is written and when one is read.</summary>
    public static ObjectSerializer Refuse(ObjectSerializer serializer, string why)
    {
        serializer.Initialize((_, _) => throw new RefusedTypeException(why),
            (_, _, _) => throw new RefusedTypeException(why));
        return serializer;
    }
}
