using System.Reflection;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Finds the inline array (a struct marked <c>[InlineArray(N)]</c>) in a value Hyperion could not write. Hyperion
/// looks every value up by its hash code before it writes it (to write a shared one once), and .NET refuses to hash an
/// inline array, or a record that holds one: the sender got "Calling built-in Equals() or GetHashCode() on type marked
/// as InlineArray is invalid", naming no type. Only looked for once writing has failed so.
/// </summary>
internal static class InlineArrayValues
{
    // A bound on the objects looked at: the value is the one just being sent, but it may be large.
    private const int MostObjects = 100_000;

    private const BindingFlags Fields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic
        | BindingFlags.DeclaredOnly;

    /// <summary>The first inline array type in <paramref name="root"/>, or null if it holds none.</summary>
    public static Type? Find(object? root)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>();
        if (root is not null) pending.Push(root);
        while (pending.Count > 0 && seen.Count < MostObjects)
        {
            var value = pending.Pop();
            var type = value.GetType();
            if (type.IsPrimitive || value is string || !seen.Add(value)) continue;
            if (IsInlineArray(type)) return type;
            if (value is Array array)
            {
                if (!type.GetElementType()!.IsPrimitive)
                    foreach (var item in array) if (item is not null) pending.Push(item);
                continue;
            }
            for (var declaring = type; declaring is not null; declaring = declaring.BaseType)
                foreach (var field in declaring.GetFields(Fields))
                {
                    if (IsInlineArray(field.FieldType)) return field.FieldType;
                    if (field.FieldType.IsPrimitive || field.FieldType.IsPointer) continue;
                    if (field.GetValue(value) is { } inside) pending.Push(inside);
                }
        }
        return null;
    }

    private static bool IsInlineArray(Type type) => RefuseLiveStateFactory.InlineArray(type) is not null;
}
