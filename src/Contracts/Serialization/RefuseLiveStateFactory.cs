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
        refusing.Initialize((_, _) => throw new RefusedTypeException(why),
            (_, _, _) => throw new RefusedTypeException(why));
        return refusing;
    }

    private static string? WhyNot(Type type) => AllowedTypes.Instance.WhyNot(type) ?? DroppedField(type);

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

    /// <summary>A field's name as its code says it: a property's, for the field behind one.</summary>
    private static string Named(FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.IndexOf('>') is > 1 and var end ? field.Name[1..end] : field.Name;
}
