using System.Reflection;

namespace ClusterPool.Jobs;

/// <summary>
/// The checks a call through a plain <see cref="Delegate"/> needs, since the compiler cannot make them: as many arguments
/// as the function has parameters (a trailing <see cref="CancellationToken"/> is the worker's to pass), each of a type
/// the parameter takes, and a result type the function's return fits (after a task is awaited on the worker).
/// </summary>
internal static class DelegateCalls
{
    /// <summary>Throws <see cref="ArgumentException"/> if <paramref name="args"/> (when given) or <typeparamref name="R"/> do not fit.</summary>
    public static void Check<R>(Delegate? function, object?[]? args, string argsName)
    {
        ArgumentNullException.ThrowIfNull(function);
        var method = function.Method;
        var returned = Returned(method.ReturnType);
        if (returned != typeof(object) && !typeof(R).IsAssignableFrom(returned) && !(returned == typeof(void) && !typeof(R).IsValueType))
            throw new ArgumentException($"{Name(method)} returns {returned.Name}, which is not a {typeof(R).Name}: call it with <{returned.Name}>", nameof(function));
        if (args is not null) Checked(function, args, argsName);
    }

    /// <summary>Returns <paramref name="args"/> if they fit <paramref name="function"/>'s parameters; throws naming the mismatch otherwise.</summary>
    public static object?[] Checked(Delegate function, object?[]? args, string argsName)
    {
        ArgumentNullException.ThrowIfNull(args, argsName);
        var parameters = function.Method.GetParameters();
        if (parameters.Length > 0 && parameters[^1].ParameterType == typeof(CancellationToken)) parameters = parameters[..^1];
        if (args.Length != parameters.Length)
            throw new ArgumentException($"{Name(function.Method)} takes {parameters.Length} arguments, not {args.Length}", argsName);
        for (var i = 0; i < args.Length; i++)
        {
            var type = parameters[i].ParameterType;
            var fits = args[i] is { } value ? type.IsInstanceOfType(value) : !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;
            if (!fits)
                throw new ArgumentException($"argument {i} of {Name(function.Method)} ({parameters[i].Name}) must be a {type.Name}, not {args[i]?.GetType().Name ?? "null"}", argsName);
        }
        return args;
    }

    /// <summary>What the worker sends back for a declared return type: a task's result, not the task; an async sequence as a list.</summary>
    private static Type Returned(Type declared)
    {
        if (declared == typeof(Task) || declared == typeof(ValueTask)) return typeof(void);
        if (!declared.IsGenericType) return declared;
        var definition = declared.GetGenericTypeDefinition();
        var inner = declared.GetGenericArguments()[0];
        return definition == typeof(Task<>) || definition == typeof(ValueTask<>) ? Returned(inner)
            : definition == typeof(IAsyncEnumerable<>) ? typeof(List<>).MakeGenericType(inner)
            : declared;
    }

    private static string Name(MethodInfo method) => $"{method.DeclaringType?.Name}.{method.Name}";
}
