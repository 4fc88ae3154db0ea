using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;
using static ClusterPool.Contracts.Serialization.HyperionItems;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Exceptions field by field. Hyperion's own exception serializer keeps only the message and inner exception: an
/// <c>ArgumentNullException("ticker")</c> lost its parameter name, an AggregateException its inner exceptions, a
/// user's <c>QuoteException</c> its <c>Symbol</c> and <c>Price</c>. Here every field of the exception's type and its
/// base types travels, except the runtime's process-local bookkeeping (raw stack frames, method handles, pointers),
/// which means nothing in another process; <see cref="ExceptionPayload"/> turns the stack trace into text first.
/// </summary>
internal sealed class ExceptionFieldsFactory(bool preserveObjectReferences) : ValueSerializerFactory
{
    private static readonly HashSet<string> RuntimeOnly = ["_stackTrace", "_watsonBuckets", "_exceptionMethod",
        "_ipForWatsonBuckets", "_xptrs", "_xcode"];

    public override bool CanSerialize(Serializer serializer, Type type) => typeof(Exception).IsAssignableFrom(type);

    public override bool CanDeserialize(Serializer serializer, Type type) => CanSerialize(serializer, type);

    public override ValueSerializer BuildSerializer(Serializer serializer, Type type, ConcurrentDictionary<Type,
        ValueSerializer> typeMapping)
    {
        var fields = Fields(type);
        var objectSerializer = new ObjectSerializer(type);
        typeMapping.TryAdd(type, objectSerializer);
        objectSerializer.Initialize(
            (stream, session) =>
            {
                var exception = RuntimeHelpers.GetUninitializedObject(type);
                if (preserveObjectReferences) session.TrackDeserializedObject(exception);
                foreach (var field in fields) field.SetValue(exception, ReadItem(stream, session));
                return exception;
            },
            (stream, exception, session) =>
            {
                if (preserveObjectReferences) session.TrackSerializedObject(exception);
                foreach (var field in fields) WriteItem(stream, field.GetValue(exception), session,
                    preserveObjectReferences);
            });
        return objectSerializer;
    }

    /// <summary>Every instance field from <see cref="Exception"/> down to <paramref name="type"/>, in a fixed
    /// order.</summary>
    private static FieldInfo[] Fields(Type type)
    {
        var fields = new List<FieldInfo>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            fields.InsertRange(
                0, t.GetFields(
                BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Where(f => !(f.DeclaringType == typeof(Exception) && RuntimeOnly.Contains(f.Name)))
                .Where(f => !f.FieldType.IsPointer && f.FieldType != typeof(IntPtr) && f.FieldType != typeof(UIntPtr))
                .OrderBy(f => f.Name, StringComparer.Ordinal));
        return [.. fields];
    }
}
