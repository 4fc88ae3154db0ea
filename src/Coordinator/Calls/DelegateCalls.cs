using System.Reflection;

namespace ClusterPool.Calls;

/// <summary>
/// The checks a call through a plain <see cref="Delegate"/> needs, since the compiler cannot make them: as many
/// arguments as the function has parameters (a trailing <see cref="CancellationToken"/> is the worker's to pass), each
/// of a type the parameter takes, and a result type the function's return fits (after a task is awaited on the worker).
/// The function's parameters are read once per call; each argument list (a StarMap's item) is then checked against
/// them. What the function gives is checked by <see cref="ResultTypes"/>, as for every call.
/// </summary>
internal sealed class DelegateCalls
{
    private readonly string _name;
    private readonly ParameterInfo[] _parameters;

    private DelegateCalls(MethodInfo method)
    {
        _name = ResultTypes.Name(method);
        var parameters = method.GetParameters();
        _parameters = parameters.Length > 0 && parameters[^1].ParameterType == typeof(CancellationToken) ? parameters[
            ..^1] : parameters;
    }

    /// <summary>The checks for <paramref name="function"/>; throws <see cref="ArgumentException"/> now if it cannot
    /// return an <typeparamref name="R"/>.</summary>
    public static DelegateCalls For<R>(Delegate? function)
    {
        ArgumentNullException.ThrowIfNull(function);
        ResultTypes.Check<R>(function, nameof(function), suggest: true);
        return new DelegateCalls(function.Method);
    }

    /// <summary>The checks of the arguments of <paramref name="function"/>, whatever it returns (the pool's
    /// initializer).</summary>
    public static DelegateCalls ForArguments(Delegate function) => new(function.Method);

    /// <summary>Returns <paramref name="args"/> if they fit the function's parameters; throws naming the mismatch
    /// otherwise.</summary>
    public object?[] Checked(object?[]? args, string argsName)
    {
        ArgumentNullException.ThrowIfNull(args, argsName);
        if (args.Length != _parameters.Length)
            throw new ArgumentException(
                $"{_name} takes {_parameters.Length} argument{(_parameters.Length == 1 ? "" : "s")}, not {args.Length}",
                argsName);
        for (var i = 0; i < args.Length; i++)
        {
            var type = _parameters[i].ParameterType;
            var fits = args[i] is { } value ? type.IsInstanceOfType(value) : !type.IsValueType
                || Nullable.GetUnderlyingType(type) is not null;
            if (!fits)
                throw new ArgumentException(
                    $"argument {i} of {_name} ({_parameters[i].Name}) must be a {type.Name}, not " +
                    $"{args[i]?.GetType().Name ?? "null"}", argsName);
        }
        return args;
    }

}
