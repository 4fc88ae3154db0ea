using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace ClusterPool.Worker;

/// <summary>
/// What a function returns, made into a value that can travel: an async function's <c>Task&lt;R&gt;</c> or
/// <c>ValueTask&lt;R&gt;</c> is awaited here, on the worker (a task object would reach the caller as a husk), and a
/// lazy sequence (<c>yield return</c>, LINQ, <c>IAsyncEnumerable</c>) is run here into a list: otherwise its body would
/// run in the caller's process. A plain value passes through untouched.
/// </summary>
internal static class ResultShapes
{
    private static readonly ConcurrentDictionary<Type, Func<object?, object?>?> Unwrappers = new();

    /// <summary>What turns a value returned as <paramref name="declared"/> into the value to send; null when it passes
    /// as it is.</summary>
    public static Func<object?, object?>? For(Type declared) => Unwrappers.GetOrAdd(declared, Build);

    private static object? Unwrap(Type declared, object? value) => value is null
        || For(declared) is not { } unwrap ? value : unwrap(value);

    private static Func<object?, object?>? Build(Type declared)
    {
        if (declared == typeof(Task)) return value => { ((Task)value!).GetAwaiter().GetResult(); return null; };
        if (declared == typeof(ValueTask)) return value => { (
            (ValueTask)value!).AsTask().GetAwaiter().GetResult(); return null; };
        if (Generic(declared, typeof(Task<>)) is { } taskOf) return Call(nameof(AwaitTask), taskOf);
        if (Generic(declared, typeof(ValueTask<>)) is { } valueTaskOf) return Call(nameof(AwaitValueTask), valueTaskOf);
        if (Generic(declared, typeof(IAsyncEnumerable<>)) is { } asyncOf) return Call(nameof(DrainAsync), asyncOf);
        if (declared.IsInterface && Generic(declared, typeof(IEnumerable<>)) is { } sequenceOf) return Call(
            nameof(Drain), sequenceOf);
        if (declared == typeof(IEnumerable)) return value =>
            value is ICollection ? value : ((IEnumerable)value!).Cast<object?>().ToList();
        return null;
    }

    /// <summary>T where <paramref name="type"/> is, or (for an interface) implements,
    /// <paramref name="definition"/>&lt;T&gt;.</summary>
    private static Type? Generic(Type type, Type definition) =>
        (type.IsGenericType && type.GetGenericTypeDefinition() == definition ? type
            : type.IsInterface ? type.GetInterfaces().FirstOrDefault(
                i => i.IsGenericType && i.GetGenericTypeDefinition() == definition) : null)
        ?.GetGenericArguments()[0];

    private static Func<object?, object?> Call(string helper, Type element)
    {
        var method =
            typeof(ResultShapes).GetMethod(helper, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(
            element);
        return (Func<object?, object?>)method.CreateDelegate(typeof(Func<object?, object?>));
    }

    // Awaited on this (the slot's) thread: a slot runs one task at a time. The inner value may itself need unwrapping.
    private static object? AwaitTask<T>(object? value) => Unwrap(typeof(T), ((Task<T>)value!).GetAwaiter().GetResult());

    private static object? AwaitValueTask<T>(object? value) =>
        Unwrap(typeof(T), ((ValueTask<T>)value!).AsTask().GetAwaiter().GetResult());

    private static object? Drain<T>(object? value) => value is ICollection<T> or IReadOnlyCollection<T> ? value : (
        (IEnumerable<T>)value!).ToList();

    private static object? DrainAsync<T>(object? value) => ToListAsync(
        (IAsyncEnumerable<T>)value!).GetAwaiter().GetResult();

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> sequence)
    {
        var list = new List<T>();
        await foreach (var item in sequence) list.Add(item);
        return list;
    }
}
