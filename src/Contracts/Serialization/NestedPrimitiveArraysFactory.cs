using System.Collections.Concurrent;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;
using static ClusterPool.Contracts.Serialization.HyperionItems;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Arrays of primitive values inside a payload (a <c>double[]</c> per Map item, a record's <c>DateTime[]</c> field, a
/// <c>double[,]</c> matrix) as one block of their bytes. Hyperion writes each element on its own, boxed, and reads it
/// back through <c>Array.SetValue</c>: 2 MB of <c>double</c>s took 17-30 ms to write and 10-18 ms to read, so a Map
/// over such items moved 20-40 MB/s; a matrix of four dimensions it could not send at all, and it dropped lower bounds.
/// A payload that is itself a one-dimensional such array skips Hyperion altogether (<see cref="PrimitiveArrays"/>).
/// Payloads in Hyperion's own form (which checkpoints written before hold) are told apart by their first byte and read
/// without this factory (<see cref="PayloadSerializer"/>).
/// </summary>
internal sealed class NestedPrimitiveArraysFactory(bool preserveObjectReferences) : ValueSerializerFactory
{
    public override bool CanSerialize(Serializer serializer, Type type) => BitConverter.IsLittleEndian
        && CanDeserialize(serializer, type);

    // One dimension from 0 (T[]), several (T[,]), or one from elsewhere (T[*]).
    public override bool CanDeserialize(Serializer serializer, Type type) => type.IsArray
        && PrimitiveArrays.ElementSize(type.GetElementType()!) > 0;

    public override ValueSerializer BuildSerializer(Serializer serializer, Type type, ConcurrentDictionary<Type,
        ValueSerializer> typeMapping)
    {
        var element = type.GetElementType()!;
        var elementSize = PrimitiveArrays.ElementSize(element);
        var objectSerializer = new ObjectSerializer(type);
        typeMapping.TryAdd(type, objectSerializer);
        objectSerializer.Initialize(
            (stream, session) =>
            {
                if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException(
                    "raw little-endian array elements reached a big-endian machine");
                var array = type.IsSZArray ? Array.CreateInstance(element, ReadLength(stream, type, elementSize))
                    : ReadShape(stream, type, MostElements(stream, elementSize));
                if (preserveObjectReferences) session.TrackDeserializedObject(array);
                stream.ReadExactly(PrimitiveArrays.BytesOf(array));
                return array;
            },
            (stream, value, session) =>
            {
                var array = (Array)value;
                if (type.IsSZArray) WriteCount(stream, array.Length);
                else WriteShape(stream, array);
                if (preserveObjectReferences) session.TrackSerializedObject(array);
                stream.Write(PrimitiveArrays.BytesOf(array));
            });
        return objectSerializer;
    }
}
