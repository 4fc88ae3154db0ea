using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Hyperion will happily write a <see cref="Stream"/> or a <see cref="Thread"/> field by field and read back a
/// useless object. This factory claims those types first and refuses them, so the caller gets an error naming the type.
/// </summary>
internal sealed class RefuseLiveStateFactory : ValueSerializerFactory
{
    private static readonly Type[] Refused =
    [
        typeof(Delegate), typeof(MarshalByRefObject), typeof(Thread), typeof(Task), typeof(SafeHandle),
        typeof(CancellationTokenSource), typeof(System.Net.Sockets.Socket), typeof(System.Reflection.Assembly),
    ];

    public override bool CanSerialize(Serializer serializer, Type type) =>
        type.IsPointer || Refused.Any(r => r.IsAssignableFrom(type));

    public override bool CanDeserialize(Serializer serializer, Type type) => CanSerialize(serializer, type);

    public override ValueSerializer BuildSerializer(
        Serializer serializer, Type type, ConcurrentDictionary<Type, ValueSerializer> typeMapping) =>
        throw new RefusedTypeException(
            $"a value of type {type.FullName} holds live process state (a delegate, stream, thread, task or handle); " +
            "send plain data instead");
}

/// <summary>Thrown when a payload holds a type that cannot be sent to another process.</summary>
internal sealed class RefusedTypeException(string message) : Exception(message);
