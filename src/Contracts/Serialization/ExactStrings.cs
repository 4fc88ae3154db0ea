using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using Hyperion;
using Hyperion.ValueSerializers;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Strings exactly as they are. Hyperion writes strings as UTF-8, and a string holding a lone surrogate (half of a
/// UTF-16 pair, which .NET strings may hold) came back with U+FFFD in its place: silently different text. Here a
/// string is written as UTF-8 when it is valid Unicode (nearly always, and as compact as Hyperion's), and as its raw
/// UTF-16 code units when it is not. Hyperion has no public hook for its string serializer, so <see cref="Install"/>
/// puts this one in its place in a serializer's tables; if those ever change shape, it leaves Hyperion's in place.
/// </summary>
internal sealed class ExactStrings : ValueSerializer
{
    private const byte HyperionStringManifest = 7; // Hyperion's own: every string in a payload goes through here
    private const byte Null = 0, Utf8Form = 1, Utf16Form = 2;

    public static readonly ExactStrings Instance = new();

    /// <summary>Makes <paramref name="serializer"/> write and read strings with <see cref="ExactStrings"/>; false if it
    /// could not.</summary>
    public static bool Install(Serializer serializer) =>
        ReplaceBuiltIn(serializer, typeof(string), HyperionStringManifest, Instance);

    /// <summary>
    /// Puts <paramref name="replacement"/> in the place of Hyperion's own serializer of <paramref name="type"/> (whose
    /// manifest byte is <paramref name="manifest"/>) in <paramref name="serializer"/>'s tables; false, leaving
    /// Hyperion's, if those tables are not as this version of Hyperion has them.
    /// </summary>
    internal static bool ReplaceBuiltIn(Serializer serializer, Type type, byte manifest, ValueSerializer replacement)
    {
        const BindingFlags instance = BindingFlags.Instance | BindingFlags.NonPublic;
        if (typeof(Serializer).GetField("_serializers", instance)?.GetValue(
            serializer) is not ConcurrentDictionary<Type, ValueSerializer> byType ||
            typeof(Serializer).GetField("_deserializerLookup", instance)?.GetValue(
                serializer) is not ValueSerializer[] byManifest ||
            byManifest.Length <= manifest || byManifest[manifest]?.GetElementType() != type)
            return false;
        byType[type] = replacement;
        byManifest[manifest] = replacement;
        return true;
    }

    public override void WriteManifest(Stream stream, SerializerSession session) =>
        stream.WriteByte(HyperionStringManifest);

    public override void WriteValue(Stream stream, object value, SerializerSession session)
    {
        if (value is not string text) { stream.WriteByte(Null); return; }
        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            if (Utf8.FromUtf16(text, utf8, out _, out var written,
                replaceInvalidSequences: false) == OperationStatus.Done)
                Write(stream, Utf8Form, utf8.AsSpan(0, written));
            else
                // a lone surrogate: the code units as they are
                Write(stream, Utf16Form, MemoryMarshal.AsBytes(text.AsSpan()));
        }
        finally { ArrayPool<byte>.Shared.Return(utf8); }
    }

    public override object ReadValue(Stream stream, DeserializerSession session)
    {
        var form = stream.ReadByte();
        if (form == Null) return null!;
        Span<byte> header = stackalloc byte[4];
        stream.ReadExactly(header);
        var bytes = new byte[BinaryPrimitives.ReadInt32LittleEndian(header)];
        stream.ReadExactly(bytes);
        return form switch
        {
            Utf8Form => Encoding.UTF8.GetString(bytes),
            Utf16Form => new string(MemoryMarshal.Cast<byte, char>(bytes)),
            _ => throw new InvalidDataException($"unknown string form {form}"),
        };
    }

    public override Type GetElementType() => typeof(string);

    private static void Write(Stream stream, byte form, ReadOnlySpan<byte> bytes)
    {
        Span<byte> header = stackalloc byte[5];
        header[0] = form;
        BinaryPrimitives.WriteInt32LittleEndian(header[1..], bytes.Length);
        stream.Write(header);
        stream.Write(bytes);
    }
}
