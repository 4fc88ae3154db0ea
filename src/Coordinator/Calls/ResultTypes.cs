using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ClusterPool.Calls;

/// <summary>
/// What a worker sends back for a function's declared return type, as the worker's <c>ResultShapes</c> makes it: a
/// task's result, not the task (an inner task is awaited too); nothing for a <see cref="Task"/> or
/// <see cref="ValueTask"/>; a list for an <see cref="IAsyncEnumerable{T}"/> or a lazy LINQ sequence. A call whose
/// results cannot hold that is refused when it is made, saying why, instead of failing each item with a result of the
/// wrong type; so is an <c>async void</c> function, which no worker can wait for.
/// </summary>
internal static class ResultTypes
{
    private static readonly ConcurrentDictionary<Type, Type> Sent = new();

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <paramref name="function"/> and the problem when it is
    /// <c>async void</c>, or when what the worker sends back for it cannot be an <typeparamref name="R"/>.
    /// With <paramref name="suggest"/>, the message says which result type to call it with.
    /// </summary>
    public static void Check<R>(Delegate function, string parameterName, bool suggest = false)
    {
        var method = function.Method;
        var declared = method.ReturnType;
        if (declared == typeof(void) && method.IsDefined(typeof(AsyncStateMachineAttribute), inherit: false))
            throw new ArgumentException(
                $"{Name(method)} is async void: a worker can neither wait for it to end nor see its exception. " +
                "Make it return Task (or ValueTask).", parameterName);
        var sent = Sent.GetOrAdd(declared, SentFor);
        if (CanHold(typeof(R), sent)) return;
        var what = sent == typeof(void) ? "nothing (null)" : Display(sent);
        var how = declared == sent ? ""
            : IsTask(declared) ? $": the worker awaits it and sends back {what}"
            : $": the worker runs it into a list and sends back {what}";
        var advice = suggest ? $": call it with <{(sent == typeof(void) ? "object" : Display(sent))}>"
            : IsLazyOnly(declared)
                ? $". Declare it as returning IEnumerable<{Display(declared.GetGenericArguments()[0])}>"
            : "";
        throw new ArgumentException(
            $"{Name(method)} returns {Display(declared)}{how}, which this call's result type, {Display(typeof(R))}, " +
                $"cannot hold{advice}.", parameterName);
    }

    /// <summary>What the worker sends back for a function declared to return <paramref name="declared"/>; <c>void</c>
    /// for nothing.</summary>
    public static Type SentFor(Type declared)
    {
        if (declared == typeof(Task) || declared == typeof(ValueTask)) return typeof(void);
        if (declared.IsGenericType && declared.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Task<>) || definition == typeof(ValueTask<>)))
            return SentFor(declared.GetGenericArguments()[0]);
        if (Element(declared, typeof(IAsyncEnumerable<>)) is { } asyncElement) return typeof(List<>).MakeGenericType(
            asyncElement);
        // A sequence declared as an interface becomes a list, unless it is a collection already (a Dictionary returned
        // as an IReadOnlyDictionary, a GroupBy's IGrouping): it is sent as the declared type, or fails its item if a
        // lazy one is not a list. LINQ's sorted and queryable sequences are never collections: always a list.
        if (declared.IsInterface && Element(declared, typeof(IEnumerable<>)) is { } element)
        {
            var list = typeof(List<>).MakeGenericType(element);
            return declared.IsAssignableFrom(list) || !IsLazyOnly(declared) ? declared : list;
        }
        return declared;
    }

    /// <summary>The function's name as its error messages give it.</summary>
    public static string Name(MethodInfo method) => $"{method.DeclaringType?.Name}.{method.Name}";

    /// <summary>A type as C# writes it: <c>Task&lt;Int32&gt;</c>, not <c>Task`1</c>.</summary>
    public static string Display(Type type) => type == typeof(void) ? "void"
        : !type.IsGenericType ? type.Name
        : $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Display))}>";

    /// <summary>
    /// Whether a call whose results are <paramref name="results"/> can hold what is sent as <paramref name="sent"/>: an
    /// <paramref name="results"/> or null, or maybe, when <paramref name="sent"/> is a wider type (an object may be an
    /// Int32; each item is then checked as it comes).
    /// </summary>
    private static bool CanHold(Type results, Type sent) => sent == typeof(void)
        ? !results.IsValueType || Nullable.GetUnderlyingType(results) is not null
        : results.IsAssignableFrom(sent) || sent.IsAssignableFrom(results);

    private static bool IsTask(Type declared) => declared == typeof(Task) || declared == typeof(ValueTask)
        || declared.IsGenericType && (declared.GetGenericTypeDefinition() == typeof(Task<>)
            || declared.GetGenericTypeDefinition() == typeof(ValueTask<>));

    private static bool IsLazyOnly(Type declared) => declared.IsGenericType
        && declared.GetGenericTypeDefinition() is var definition
        && (definition == typeof(IOrderedEnumerable<>) || definition == typeof(IQueryable<>)
            || definition == typeof(IOrderedQueryable<>));

    /// <summary>T where <paramref name="type"/> is, or (for an interface) implements,
    /// <paramref name="definition"/>&lt;T&gt;: as the worker reads it.</summary>
    private static Type? Element(Type type, Type definition) =>
        (type.IsGenericType && type.GetGenericTypeDefinition() == definition ? type
            : type.IsInterface ? type.GetInterfaces().FirstOrDefault(
                i => i.IsGenericType && i.GetGenericTypeDefinition() == definition) : null)
        ?.GetGenericArguments()[0];
}
