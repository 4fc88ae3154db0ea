using System.Collections.Concurrent;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;

namespace ClusterPool.Contracts.Sharing;

/// <summary>
/// Writes a shared value's handle (<see cref="ISharedHandle"/>: the library's <c>Shared&lt;T&gt;</c> and
/// <c>SharedArray&lt;T&gt;</c>) in a task's arguments as its key alone (hash,
/// size, form: 41 bytes), never the value it stands for, and reads it back as a handle that finds the value in the
/// machine's cache. A disposed handle, or one of a closed pool, is refused where it would be sent, naming the value.
/// </summary>
internal sealed class SharedHandleFactory(bool preserveObjectReferences) : ValueSerializerFactory
{
    private const int HashBytes = 32;

    public override bool CanSerialize(Serializer serializer, Type type) =>
        !type.IsAbstract && typeof(ISharedHandle).IsAssignableFrom(type);

    public override bool CanDeserialize(Serializer serializer, Type type) => CanSerialize(serializer, type);

    public override ValueSerializer BuildSerializer(Serializer serializer, Type type, ConcurrentDictionary<Type,
        ValueSerializer> typeMapping)
    {
        // the constructor for a handle that arrived: (SharedKey)
        var arrived = type.GetConstructor(System.Reflection.BindingFlags.Instance |
            System.Reflection.BindingFlags.NonPublic, [typeof(SharedKey)])!;
        var objectSerializer = new ObjectSerializer(type);
        typeMapping.TryAdd(type, objectSerializer);
        objectSerializer.Initialize(
            (stream, session) =>
            {
                Span<byte> hash = stackalloc byte[HashBytes];
                stream.ReadExactly(hash);
                Span<byte> rest = stackalloc byte[9];
                stream.ReadExactly(rest);
                var key = new SharedKey(Convert.ToHexStringLower(hash),
                    BitConverter.ToInt64(rest[..8]), rest[8] == 1);
                var handle = arrived.Invoke([key]);
                if (preserveObjectReferences) session.TrackDeserializedObject(handle);
                return handle;
            },
            (stream, value, session) =>
            {
                var handle = (ISharedHandle)value;
                if (handle.IsDisposed) throw new ObjectDisposedException(handle.GetType().Name,
                    $"a task's arguments hold the {handle.Key.Describe()}, whose handle was disposed (or whose pool " +
                    "closed): share the value again, or keep the handle until the calls that use it end");
                if (preserveObjectReferences) session.TrackSerializedObject(handle);
                stream.Write(Convert.FromHexString(handle.Key.Hash));
                Span<byte> rest = stackalloc byte[9];
                BitConverter.TryWriteBytes(rest[..8], handle.Key.Bytes);
                rest[8] = handle.Key.Raw ? (byte)1 : (byte)0;
                stream.Write(rest);
            });
        return objectSerializer;
    }
}
