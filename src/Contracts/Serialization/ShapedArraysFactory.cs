using System.Collections.Concurrent;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;
using static ClusterPool.Contracts.Serialization.HyperionItems;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Arrays of other values than primitive ones (<see cref="NestedPrimitiveArraysFactory"/>) in any shape but the plain
/// one-dimensional <c>T[]</c>: <c>string[,]</c>, <c>object[,,,]</c>, a <c>Quote[*]</c> counted from 1. Hyperion read
/// such an array back counted from 0 whatever its lower bounds (<c>grid[1990, 0]</c> then threw, or named another
/// cell), a <c>T[*]</c> as a <c>T[]</c> (another type), and one of four or more dimensions not at all ("Type is not
/// supported", on the worker, after the caller had sent it). Here each travels with its lengths and lower bounds,
/// then its elements in order, each with its type as Hyperion writes a field of type object.
/// </summary>
internal sealed class ShapedArraysFactory(bool preserveObjectReferences) : ValueSerializerFactory
{
    public override bool CanSerialize(Serializer serializer, Type type) => type.IsArray && !type.IsSZArray
        && PrimitiveArrays.ElementSize(type.GetElementType()!) <= 0;

    public override bool CanDeserialize(Serializer serializer, Type type) => CanSerialize(serializer, type);

    public override ValueSerializer BuildSerializer(Serializer serializer, Type type, ConcurrentDictionary<Type,
        ValueSerializer> typeMapping)
    {
        var objectSerializer = new ObjectSerializer(type);
        typeMapping.TryAdd(type, objectSerializer);
        objectSerializer.Initialize(
            (stream, session) =>
            {
                var array = ReadShape(stream, type, MostElements(stream, 1)); // an element takes a byte at least
                if (preserveObjectReferences) session.TrackDeserializedObject(array);
                var index = new int[array.Rank];
                for (var dimension = 0; dimension < array.Rank; dimension++)
                    index[dimension] = array.GetLowerBound(dimension);
                for (var i = 0; i < array.Length; i++)
                {
                    array.SetValue(ReadItem(stream, session), index);
                    Next(array, index);
                }
                return array;
            },
            (stream, value, session) =>
            {
                var array = (Array)value;
                WriteShape(stream, array);
                if (preserveObjectReferences) session.TrackSerializedObject(array);
                // An array enumerates its elements in the order Next counts its indices: the last dimension fastest.
                foreach (var item in array) WriteItem(stream, item, session, preserveObjectReferences);
            });
        return objectSerializer;
    }

    /// <summary>Moves <paramref name="index"/> to the next element, the last dimension fastest (row-major, as an
    /// array enumerates).</summary>
    private static void Next(Array array, int[] index)
    {
        for (var dimension = array.Rank - 1; dimension >= 0; dimension--)
        {
            // compared before it is counted up: an upper bound of int.MaxValue would overflow
            if (index[dimension] < array.GetUpperBound(dimension))
            {
                index[dimension]++;
                return;
            }
            index[dimension] = array.GetLowerBound(dimension);
        }
    }
}
