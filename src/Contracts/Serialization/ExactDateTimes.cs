using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Hyperion;
using Hyperion.ValueSerializers;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// A <see cref="DateTime"/> exactly as it is. Hyperion writes its ticks and its <see cref="DateTime.Kind"/>, and a
/// local time in the hour a clock goes back (01:30 on the night daylight saving ends happens twice) lost which of the
/// two it was: <c>ToUniversalTime()</c> in the other process was an hour off. Here it is written in Hyperion's own form
/// (so what earlier versions wrote still reads), with one more kind value for "local, the daylight-saving one of the
/// two", .NET's own bit for it; arrays of them travel raw (<see cref="PrimitiveArrays"/>) and kept it already.
/// </summary>
internal sealed class ExactDateTimes : ValueSerializer
{
    private const byte HyperionDateTimeManifest = 5; // Hyperion's own
    private const byte LocalAmbiguousDaylight = 3;   // beyond DateTimeKind's 0-2: .NET's top two bits both set
    private const int Size = sizeof(long) + sizeof(byte);

    public static readonly ExactDateTimes Instance = new();

    /// <summary>Makes <paramref name="serializer"/> write and read DateTime values with this; false if it could
    /// not.</summary>
    public static bool Install(Serializer serializer) =>
        ExactStrings.ReplaceBuiltIn(serializer, typeof(DateTime), HyperionDateTimeManifest, Instance);

    public override void WriteManifest(Stream stream, SerializerSession session) =>
        stream.WriteByte(HyperionDateTimeManifest);

    public override void WriteValue(Stream stream, object value, SerializerSession session)
    {
        var time = (DateTime)value;
        Span<byte> bytes = stackalloc byte[Size];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, time.Ticks);
        bytes[^1] = (byte)(Unsafe.As<DateTime, ulong>(ref time) >> 62); // the kind, with the ambiguous hour's bit
        stream.Write(bytes);
    }

    public override object ReadValue(Stream stream, DeserializerSession session)
    {
        Span<byte> bytes = stackalloc byte[Size];
        stream.ReadExactly(bytes);
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        var kind = bytes[^1];
        if (ticks < 0 || ticks > DateTime.MaxValue.Ticks || kind > LocalAmbiguousDaylight)
            throw new InvalidDataException($"a DateTime of {ticks} ticks and kind {kind} is damaged");
        if (kind < LocalAmbiguousDaylight) return new DateTime(ticks, (DateTimeKind)kind);
        var data = (ulong)ticks | ((ulong)LocalAmbiguousDaylight << 62);
        return Unsafe.As<ulong, DateTime>(ref data);
    }

    public override Type GetElementType() => typeof(DateTime);
}
