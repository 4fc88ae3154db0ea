using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;
using static ClusterPool.Contracts.Serialization.HyperionItems;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Cultures, their sort rules and the string comparers built on them, by name. Written field by field, a
/// <see cref="CompareInfo"/> arrived with its native ICU handle as 0, and the first comparison in the other process
/// crashed it (SIGSEGV): a worker, or the caller's own program when a result held one (a <c>Dictionary</c> made with
/// <c>StringComparer.Create(new CultureInfo("de-DE"), true)</c>, a <see cref="CultureInfo"/> whose sort rules had
/// been used). Here each travels as what it is - a culture's name, a comparer's culture and options - and the other
/// process makes its own. A comparer of the current culture (<see cref="StringComparer.CurrentCultureIgnoreCase"/>)
/// travels as the sender's culture, not as "whatever culture the receiver has".
/// </summary>
/// <param name="preserveObjectReferences">As the serializer's own option (which Hyperion does not make public).</param>
internal sealed class CulturesFactory(bool preserveObjectReferences) : ValueSerializerFactory
{
    // The comparer StringComparer.Create and CompareInfo.GetStringComparer make: internal to .NET, known by name.
    private static readonly Type CultureAwareComparer = StringComparer.InvariantCulture.GetType();

    public override bool CanSerialize(Serializer serializer, Type type) =>
        type == typeof(CultureInfo) || type == typeof(CompareInfo) || type == CultureAwareComparer;

    public override bool CanDeserialize(Serializer serializer, Type type) => CanSerialize(serializer, type);

    public override ValueSerializer BuildSerializer(
        Serializer serializer, Type type, ConcurrentDictionary<Type, ValueSerializer> typeMapping)
    {
        var preserve = preserveObjectReferences;
        var objectSerializer = new ObjectSerializer(type);
        typeMapping.TryAdd(type, objectSerializer);
        if (type == typeof(CultureInfo))
            objectSerializer.Initialize(
                (stream, session) => ReadCulture(stream, session, preserve),
                (stream, value, session) => WriteCulture(stream, (CultureInfo)value, session, preserve));
        else if (type == typeof(CompareInfo))
            objectSerializer.Initialize(
                (stream, session) => Tracked(CompareInfo.GetCompareInfo(ReadName(stream)), session, preserve),
                (stream, value, session) =>
                {
                    WriteName(stream, ((CompareInfo)value).Name);
                    if (preserve) session.TrackSerializedObject(value);
                });
        else
            objectSerializer.Initialize(
                (stream, session) =>
                {
                    var compareInfo = CompareInfo.GetCompareInfo(ReadName(stream));
                    var options = (CompareOptions)ReadCount(stream);
                    return Tracked(compareInfo.GetStringComparer(options), session, preserve);
                },
                (stream, value, session) =>
                {
                    if (!StringComparer.IsWellKnownCultureAwareComparer((StringComparer)value, out var compareInfo,
                        out var options))
                        throw new InvalidOperationException($"{value.GetType()} is not a culture's string comparer");
                    WriteName(stream, compareInfo.Name);
                    WriteCount(stream, (int)options);
                    if (preserve) session.TrackSerializedObject(value);
                });
        return objectSerializer;
    }

    // A culture made read-only (as CultureInfo.GetCultureInfo's are) stays so; a writable one brings the number and
    // date formats its program may have changed (a decimal separator, a date pattern).
    private const byte UserOverride = 1, ReadOnly = 2;

    private static void WriteCulture(Stream stream, CultureInfo culture, SerializerSession session, bool preserve)
    {
        WriteName(stream, culture.Name);
        stream.WriteByte((byte)((culture.UseUserOverride ? UserOverride : 0) | (culture.IsReadOnly ? ReadOnly : 0)));
        if (preserve) session.TrackSerializedObject(culture);
        if (culture.IsReadOnly) return;
        WriteItem(stream, culture.NumberFormat, session, preserve);
        WriteItem(stream, culture.DateTimeFormat, session, preserve);
    }

    private static CultureInfo ReadCulture(Stream stream, DeserializerSession session, bool preserve)
    {
        var name = ReadName(stream);
        var flags = stream.ReadByte();
        var culture = new CultureInfo(name, (flags & UserOverride) != 0);
        if ((flags & ReadOnly) != 0) return Tracked(CultureInfo.ReadOnly(culture), session, preserve);
        Tracked(culture, session, preserve);
        culture.NumberFormat = (NumberFormatInfo)ReadItem(stream, session)!;
        culture.DateTimeFormat = (DateTimeFormatInfo)ReadItem(stream, session)!;
        return culture;
    }

    private static T Tracked<T>(T value, DeserializerSession session, bool preserve) where T : notnull
    {
        if (preserve) session.TrackDeserializedObject(value);
        return value;
    }

    // A culture's name is short ASCII ("de-DE", "" for the invariant culture); a damaged length is refused.
    private const int LongestName = 256;

    private static void WriteName(Stream stream, string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        WriteCount(stream, bytes.Length);
        stream.Write(bytes);
    }

    private static string ReadName(Stream stream)
    {
        var length = ReadCount(stream);
        if (length is < 0 or > LongestName) throw new InvalidDataException($"a culture name of {length} bytes");
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return Encoding.UTF8.GetString(bytes);
    }
}
