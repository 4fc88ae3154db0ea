using System.Reflection;

namespace ClusterPool.Worker;

/// <summary>A user function found on this worker, ready to call.</summary>
/// <param name="Method">The method.</param>
/// <param name="Target">The closure singleton for a capture-free lambda, else null.</param>
internal sealed record ResolvedFunction(MethodInfo Method, object? Target)
{
    private IArrayInvoker? _overArrays;

    /// <summary>True when the function's last parameter is a <see cref="CancellationToken"/>: the worker passes it, not
    /// the caller.</summary>
    public bool TakesToken { get; } = Method.GetParameters() is { Length: > 0 } p
        && p[^1].ParameterType == typeof(CancellationToken);

    /// <summary>
    /// True when the function returns a plain value (not void, a task or a lazy sequence): Map's chunks can then run
    /// through <see cref="OverArrays"/>.
    /// </summary>
    public bool ReturnsPlainValue => Method.ReturnType != typeof(void) && _unwrap is null;

    // Found once per function: Invoke runs for every item of Apply, StarMap and the item-by-item path.
    private readonly Func<object?, object?>? _unwrap = ResultShapes.For(Method.ReturnType);

    /// <summary>
    /// Calls the function; the user's exception comes out as itself, not wrapped. An async function is awaited and a
    /// lazy sequence run here (<see cref="ResultShapes"/>); a void function gives null.
    /// </summary>
    public object? Invoke(object?[] args)
    {
        var value = Method.Invoke(Target, BindingFlags.DoNotWrapExceptions, binder: null, args, culture: null);
        return value is null || _unwrap is null ? value : _unwrap(value);
    }

    /// <summary>The function as a typed <c>Func&lt;P, R&gt;</c> over arrays, for chunks of single arguments.</summary>
    public IArrayInvoker OverArrays => _overArrays ??= MakeArrayInvoker();

    private IArrayInvoker MakeArrayInvoker()
    {
        var parameters = Method.GetParameters();
        if (parameters.Length != 1 || Method.ReturnType == typeof(void) || parameters[0].ParameterType.IsByRef)
            throw new WorkerSetupException(
                $"{Method.DeclaringType?.Name}.{Method.Name} does not take exactly one argument and return a value");
        var p = parameters[0].ParameterType;
        var delegateType = typeof(Func<,>).MakeGenericType(p, Method.ReturnType);
        var function = Target is null ? Method.CreateDelegate(delegateType) : Method.CreateDelegate(
            delegateType, Target);
        return (IArrayInvoker)Activator.CreateInstance(typeof(ArrayInvoker<,>).MakeGenericType(p, Method.ReturnType),
            function)!;
    }
}
