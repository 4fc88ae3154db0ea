using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Arrays of primitive values (<c>long[]</c>, <c>double[]</c>, <c>DateTime[]</c>, ...) as their raw bytes. Map's
/// arguments and results travel as typed arrays, and Hyperion writes those one element at a time, boxing each: on a
/// Map of 100,000 tiny tasks that was ~40 % of the coordinator's and of each worker's CPU. Copied as one block instead,
/// they cost a memory copy. Only little-endian machines write this form (every machine .NET runs on today); a
/// big-endian one would fall back to Hyperion, and refuses raw arrays it cannot read.
/// </summary>
internal static class PrimitiveArrays
{
    // The element types that are plain bytes, with the same layout in every .NET process: a code (its index) and a
    // size.
    private static readonly (Type Type, int Size)[] Elements =
    [
        (typeof(bool), 1), (typeof(byte), 1), (typeof(sbyte), 1), (typeof(short), 2), (typeof(ushort), 2),
            (typeof(char), 2),
        (typeof(int), 4), (typeof(uint), 4), (typeof(float), 4), (typeof(long), 8), (typeof(ulong), 8),
            (typeof(double), 8),
        (typeof(decimal), 16), (typeof(DateTime), 8), (typeof(TimeSpan), 8), (typeof(Guid), 16),
    ];

    private const int HeaderSize = 1 + 1 + 4; // form tag, element code, length

    /// <summary>
    /// The bytes of <paramref name="value"/>, starting with <paramref name="tag"/>, if it is a one-dimensional array of
    /// a primitive element type; null otherwise (the caller uses Hyperion).
    /// </summary>
    public static byte[]? TryWrite(object? value, byte tag)
    {
        if (value is not Array array || !BitConverter.IsLittleEndian || !array.GetType().IsSZArray) return null;
        var code = Code(array.GetType().GetElementType()!);
        if (code < 0) return null;
        var data = BytesOf(array);
        var bytes = new byte[HeaderSize + data.Length];
        bytes[0] = tag;
        bytes[1] = (byte)code;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), array.Length);
        data.CopyTo(bytes.AsSpan(HeaderSize));
        return bytes;
    }

    /// <summary>Reads an array that <see cref="TryWrite"/> wrote (the tag byte included).</summary>
    public static Array Read(byte[] bytes)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException(
            "a raw little-endian array reached a big-endian machine");
        if (bytes.Length < HeaderSize || bytes[1] >= Elements.Length) throw new InvalidDataException(
            "a raw array's header is damaged");
        var (type, size) = Elements[bytes[1]];
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(2));
        if (length < 0 || (long)length * size != bytes.Length - HeaderSize)
            throw new InvalidDataException(
                $"a raw {type.Name}[] holds {bytes.Length - HeaderSize} bytes, not {length} elements");
        var array = Array.CreateInstance(type, length);
        bytes.AsSpan(HeaderSize).CopyTo(BytesOf(array));
        return array;
    }

    /// <summary>The size of one element of a <paramref name="element"/>[] written as raw bytes; -1 for an element type
    /// that is not plain bytes.</summary>
    public static int ElementSize(Type element) => Code(element) is var code and >= 0 ? Elements[code].Size : -1;

    /// <summary>The bytes of <paramref name="array"/>'s elements, in place (an array of an element type that
    /// <see cref="ElementSize"/> knows).</summary>
    public static Span<byte> BytesOf(Array array) => MemoryMarshal.CreateSpan(
        ref MemoryMarshal.GetArrayDataReference(array), array.Length * ElementSize(array.GetType().GetElementType()!));

    private static int Code(Type element)
    {
        for (var i = 0; i < Elements.Length; i++)
            if (Elements[i].Type == element) return i;
        return -1;
    }
}
