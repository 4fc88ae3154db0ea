using System.Buffers.Binary;
using Hyperion;
using Hyperion.ValueSerializers;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Values inside the collections ClusterPool's own Hyperion factories write (<see cref="ComparerCollectionsFactory"/>,
/// <see cref="ImmutableElementArraysFactory"/>): each written with its type, as Hyperion writes a field of type object.
/// Hyperion's own helpers for this are internal to it.
/// </summary>
internal static class HyperionItems
{
    // null, a reference to an object already written (Hyperion's own numbering), or an object with its type manifest.
    private const byte Null = 0, Inline = 1, Reference = 2;

    public static void WriteItem(Stream stream, object? value, SerializerSession session, bool preserve)
    {
        if (value is null) { stream.WriteByte(Null); return; }
        if (preserve && session.TryGetObjectId(value, out var id))
        {
            stream.WriteByte(Reference);
            ObjectReferenceSerializer.Instance.WriteValue(stream, id, session);
            return;
        }
        stream.WriteByte(Inline);
        var serializer = session.Serializer.GetSerializerByType(value.GetType());
        serializer.WriteManifest(stream, session);
        serializer.WriteValue(stream, value, session);
    }

    public static object? ReadItem(Stream stream, DeserializerSession session) => stream.ReadByte() switch
    {
        Null => null,
        Reference => ObjectReferenceSerializer.Instance.ReadValue(stream, session),
        Inline => session.Serializer.GetDeserializerByManifest(stream, session).ReadValue(stream, session),
        var tag => throw new InvalidDataException($"unknown entry tag {tag}"),
    };

    public static void WriteCount(Stream stream, int count)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, count);
        stream.Write(bytes);
    }

    public static int ReadCount(Stream stream)
    {
        Span<byte> bytes = stackalloc byte[4];
        stream.ReadExactly(bytes);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    /// <summary>An array's length and lower bound in each dimension (Hyperion's own form of a matrix drops the
    /// bounds).</summary>
    public static void WriteShape(Stream stream, Array array)
    {
        for (var dimension = 0; dimension < array.Rank; dimension++)
        {
            WriteCount(stream, array.GetLength(dimension));
            WriteCount(stream, array.GetLowerBound(dimension));
        }
    }

    /// <summary>
    /// The most elements of <paramref name="bytesEach"/> bytes or more that what is left of <paramref name="stream"/>
    /// can hold: a damaged or crafted length is refused before an array of that length is made (ten bytes could
    /// otherwise ask for gigabytes).
    /// </summary>
    public static long MostElements(Stream stream, int bytesEach) =>
        Math.Min(Array.MaxLength, (stream.CanSeek ? stream.Length - stream.Position : Array.MaxLength) / bytesEach);

    /// <summary>The length of a one-dimensional <paramref name="type"/> of elements of <paramref name="bytesEach"/>
    /// bytes or more; damaged if it is negative or more than the rest of the payload holds.</summary>
    public static int ReadLength(Stream stream, Type type, int bytesEach)
    {
        var length = ReadCount(stream);
        return length >= 0 && length <= MostElements(stream, bytesEach) ? length
            : throw new InvalidDataException($"a {type.Name} of {length} elements is damaged");
    }

    /// <summary>
    /// A new array of <paramref name="type"/> (exactly: a <c>T[*]</c> counted from 0 stays one) in the shape
    /// <see cref="WriteShape"/> wrote; damaged if it would hold more than <paramref name="maxElements"/>.
    /// </summary>
    public static Array ReadShape(Stream stream, Type type, long maxElements)
    {
        var rank = type.GetArrayRank();
        var (lengths, lowerBounds) = (new int[rank], new int[rank]);
        for (var dimension = 0; dimension < rank; dimension++)
            (lengths[dimension], lowerBounds[dimension]) = (ReadCount(stream), ReadCount(stream));
        var elements = lengths.Any(length => length < 0) ? -1
            : lengths.Aggregate(1L, (total, length) => total * length);
        if (elements < 0 || elements > maxElements)
            throw new InvalidDataException($"a {type.Name} of {string.Join(" x ", lengths)} elements is damaged");
        return Array.CreateInstanceFromArrayType(type, lengths, lowerBounds);
    }
}
