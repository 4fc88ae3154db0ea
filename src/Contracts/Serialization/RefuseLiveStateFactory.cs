using System.Collections.Concurrent;
using System.Reflection;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Hyperion will happily write a <see cref="Stream"/> or a <see cref="Thread"/> field by field and read back a
/// useless object, or a delegate that another process would then call. This factory claims every type that
/// <see cref="AllowedTypes"/> refuses, first, so the sender gets an error naming the type before anything is sent.
/// The refusal comes when a value of such a type is written or read, not when a type that merely declares a field of
/// one is: an object whose event has no subscriber (a null <see cref="EventHandler"/> field) or whose optional stream
/// is null crosses, as Python pickles an object whose attribute is None.
/// </summary>
internal sealed class RefuseLiveStateFactory : ValueSerializerFactory
{
    public override bool CanSerialize(Serializer serializer, Type type) => WhyNot(type) is not null;

    public override bool CanDeserialize(Serializer serializer, Type type) => CanSerialize(serializer, type);

    public override ValueSerializer BuildSerializer(
        Serializer serializer, Type type, ConcurrentDictionary<Type, ValueSerializer> typeMapping)
    {
        var why = WhyNot(type)!;
        var refusing = new ObjectSerializer(type);
        typeMapping.TryAdd(type, refusing);
        return RefusedTypeException.Refuse(refusing, why);
    }

    private static string? WhyNot(Type type) => AllowedTypes.Instance.WhyNot(type) ?? DroppedField(type)
        ?? KeptByHashCodes(type) ?? CollectionWithFields(type) ?? DataTables(type) ?? NameValueSubclass(type);

    /// <summary>
    /// Why ADO.NET's tables (<c>DataTable</c>, <c>DataSet</c>, a row, a view, a typed data set's classes) cannot be
    /// sent: a web of rows, columns, indexes, constraints and events that Hyperion could not rebuild (it failed with
    /// "Ambiguous match found for ... DataRelationCollection Add"). Their enums and exceptions cross.
    /// </summary>
    private static string? DataTables(Type type)
    {
        if (type.IsValueType || typeof(Exception).IsAssignableFrom(type)) return null;
        for (var part = type; part is not null; part = part.BaseType)
            if (part.Assembly == typeof(System.Data.DataTable).Assembly && part.Namespace == "System.Data")
                return $"type {AllowedTypes.Readable(type)} is ADO.NET's in-memory data ({part.Name}), whose rows, " +
                    "columns, constraints and events another process cannot rebuild: send the rows as plain data " +
                    "(a List of records, or each row's ItemArray) and build the table there if you need one";
        return null;
    }

    // A NameValueCollection crosses (NameValueCollectionFactory), as its keys and values: a subclass's own state
    // (WebHeaderCollection's kinds of header, a program's fields) would not.
    private static string? NameValueSubclass(Type type) =>
        type != typeof(System.Collections.Specialized.NameValueCollection)
        && typeof(System.Collections.Specialized.NameValueCollection).IsAssignableFrom(type)
            ? $"type {AllowedTypes.Readable(type)} derives from NameValueCollection, which travels as its keys and " +
                "values only: send a NameValueCollection (new NameValueCollection(value)) instead"
            : null;

    /// <summary>
    /// Why a struct marked <c>[InlineArray(N)]</c> cannot be sent: Hyperion sees its one declared field, so only the
    /// first of its N elements would arrive, and a value holding one cannot even be looked at for sharing (.NET
    /// refuses to hash it).
    /// </summary>
    internal static string? InlineArray(Type type) =>
        type.GetCustomAttribute<System.Runtime.CompilerServices.InlineArrayAttribute>() is { } inline
            ? $"type {AllowedTypes.Readable(type)} is an inline array ([InlineArray({inline.Length})] of " +
                $"{ElementOf(type)}), of which only the first element would arrive: make it an array " +
                $"({ElementOf(type)}[]), or send its elements (((ReadOnlySpan<{ElementOf(type)}>)value).ToArray())"
            : null;

    private static string ElementOf(Type inlineArray) => inlineArray.GetFields(
        BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Select(f => AllowedTypes.Readable(
            f.FieldType)).FirstOrDefault() ?? "?";

    // .NET's collections that keep their entries by this process's hash codes and that ClusterPool does not rebuild
    // (ComparerCollectionsFactory does the generic dictionaries and sets): copied field by field, their lookups missed
    // in the other process, whose string hash codes differ.
    private static readonly Type[] HashKept =
    [
        typeof(System.Collections.Hashtable), typeof(System.Collections.Specialized.OrderedDictionary),
        typeof(System.Collections.Specialized.StringDictionary),
        typeof(System.Collections.Specialized.HybridDictionary),
    ];

    private static readonly Type? Lookup = typeof(Enumerable).Assembly.GetType("System.Linq.Lookup`2");

    private static string? KeptByHashCodes(Type type) =>
        HashKept.Any(kept => kept.IsAssignableFrom(type))
            ? $"type {AllowedTypes.Readable(type)} keeps its entries by this process's hash codes, which another " +
                "process computes differently (its lookups would miss there): send a Dictionary<TKey, TValue> instead"
        : IsLookup(type)
            ? $"type {AllowedTypes.Readable(type)} (an ILookup, from ToLookup) keeps its groups by this process's " +
                "hash codes, which another process computes differently (its lookups would miss there): send its " +
                "groups, as lookup.ToDictionary(g => g.Key, g => g.ToList()), or the items, and call ToLookup there"
        : null;

    // ToLookup makes a subclass of Lookup<TKey, TElement> (CollectionLookup in .NET 10).
    private static bool IsLookup(Type type)
    {
        for (var part = type; part is not null; part = part.BaseType)
            if (part.IsGenericType && part.GetGenericTypeDefinition() == Lookup) return true;
        return false;
    }

    /// <summary>
    /// Why a value of the application's own class that derives from one of .NET's collections and adds fields would
    /// arrive changed: a collection travels as its entries only, so the fields arrived empty.
    /// </summary>
    private static string? CollectionWithFields(Type type)
    {
        if (FrameworkAssemblies.Contains(type.Assembly) || FrameworkCollectionBase(type) is not { } collection
            || !UnbuildableCollectionsFactory.RebuiltFromEntries(type)) return null;
        const BindingFlags fields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic
            | BindingFlags.DeclaredOnly;
        var own = new List<string>();
        for (var declaring = type; declaring != collection; declaring = declaring!.BaseType)
            own.AddRange(declaring!.GetFields(fields).Select(Named));
        return own.Count == 0 ? null
            : $"type {AllowedTypes.Readable(type)} derives from {AllowedTypes.Readable(collection)}, which travels " +
                $"as its entries only: its own fields ({string.Join(", ", own)}) would arrive empty; hold the " +
                "collection in a property of a class or record instead";
    }

    /// <summary>
    /// Why a value of <paramref name="type"/> would arrive changed, or crash the process that reads it: a field that
    /// Hyperion cannot carry, or null if it has none. A native-sized integer (nint, nuint) or a pointer arrives as 0:
    /// in the application's own type that is a number lost (make it a long); in one of .NET's it is a handle (a
    /// <see cref="WeakReference"/>'s, a sort order's native state), and using the husk crashed the process that read
    /// it. A fixed-size buffer arrived with its first element only. Exceptions are not judged: their pointer fields
    /// are the runtime's bookkeeping, dropped on purpose by <see cref="ExceptionFieldsFactory"/>.
    /// </summary>
    private static string? DroppedField(Type type)
    {
        if (type.IsPrimitive || type.IsArray || type.IsPointer || typeof(Exception).IsAssignableFrom(type)) return null;
        if (InlineArray(type) is { } inline) return inline;
        var framework = FrameworkAssemblies.Contains(type.Assembly);
        const BindingFlags fields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic
            | BindingFlags.DeclaredOnly;
        for (var declaring = type; declaring is not null && declaring != typeof(object); declaring = declaring.BaseType)
            foreach (var field in declaring.GetFields(fields))
            {
                var native = field.FieldType == typeof(IntPtr) || field.FieldType == typeof(UIntPtr);
                if (framework && (native || field.FieldType.IsPointer))
                    return $"type {AllowedTypes.Readable(type)} holds a native handle or pointer (its field " +
                        $"{field.Name}), which means nothing in another process: it is live state of this " +
                        "process, not data; send what it was made from instead (a culture's name, the object a " +
                        "weak reference points to)";
                if (framework) continue;
                if (native)
                    return $"type {AllowedTypes.Readable(type)} has a field {Named(field)} of type " +
                        $"{(field.FieldType == typeof(IntPtr) ? "nint" : "nuint")}, whose value would arrive as 0 " +
                        "(Hyperion drops such fields): make it a long (or ulong)";
                if (field.FieldType.IsPointer)
                    return $"type {AllowedTypes.Readable(type)} has a field {Named(field)} of pointer type " +
                        $"{field.FieldType.Name}, an address in this process, which means nothing in another";
                if (field.GetCustomAttribute<System.Runtime.CompilerServices.FixedBufferAttribute>() is { } buffer)
                    return $"type {AllowedTypes.Readable(type)} has a fixed-size buffer {Named(field)} " +
                        $"({buffer.Length} elements), of which only the first would arrive: make it an array";
            }
        return null;
    }

    /// <summary>Whether <paramref name="type"/> is an <see cref="IDictionary{TKey,TValue}"/> (which Hyperion writes as
    /// its entries).</summary>
    internal static bool IsDictionary(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));

    /// <summary>The nearest of .NET's collections that <paramref name="type"/> derives from, if any (a collection's
    /// ancestors that are not collections themselves end the search: a collection's base is not one either).</summary>
    internal static Type? FrameworkCollectionBase(Type type)
    {
        for (var part = type.BaseType; part is not null && part != typeof(object); part = part.BaseType)
            if (FrameworkAssemblies.Contains(part.Assembly))
                return typeof(System.Collections.IEnumerable).IsAssignableFrom(part) ? part : null;
        return null;
    }

    /// <summary>A field's name as its code says it: a property's, for the field behind one.</summary>
    private static string Named(FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.IndexOf('>') is > 1 and var end ? field.Name[1..end] : field.Name;
}
