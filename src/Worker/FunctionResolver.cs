using System.Collections.Concurrent;
using System.Reflection;
using ClusterPool.Contracts;

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

/// <summary>Turns a <see cref="FunctionRef"/> into a callable method, once per function, and refuses a different
/// build.</summary>
internal static class FunctionResolver
{
    private static readonly ConcurrentDictionary<string, ResolvedFunction> Cache = new();

    /// <summary>True in a worker its own pool started (<c>--embedded</c>): only then is a function's assembly path
    /// followed.</summary>
    public static bool TrustAssemblyPaths { get; set; }

    /// <summary>Finds the function; throws <see cref="WorkerSetupException"/> with the reason when it cannot.</summary>
    public static ResolvedFunction Resolve(FunctionRef function)
    {
        var key = $"{function.ModuleVersionId}|{function.TypeName}|{function.MethodName}|" +
                  string.Join(",", function.ParameterTypes);
        return Cache.TryGetValue(key, out var found) ? found : Cache.GetOrAdd(key, _ => Find(function));
    }

    private static ResolvedFunction Find(FunctionRef function)
    {
        var assembly = FindAssembly(function);
        if (FrameworkAssemblies.Contains(assembly))
            throw new WorkerSetupException(
                $"{function.DisplayName} is a .NET method, and workers run only the application's functions: refused")
            {
                Refused = true
            };
        var build = assembly.ManifestModule.ModuleVersionId;
        if (build != function.ModuleVersionId)
            throw new WorkerSetupException(
                $"build mismatch on host {Environment.MachineName}: assembly {assembly.GetName().Name} here is build " +
                    $"{build}, " +
                $"the coordinator runs build {function.ModuleVersionId}. Copy the coordinator's build output to this " +
                    "machine.");

        var type = assembly.GetType(function.TypeName, throwOnError: false)
            ?? throw new WorkerSetupException($"type {function.TypeName} was not found in {assembly.GetName().Name}");
        var parameters = function.ParameterTypes.Select(name => Type.GetType(name, throwOnError: false)
            ?? throw new WorkerSetupException(
                $"parameter type {name} of {function.DisplayName} cannot be loaded on this worker")).ToArray();
        const BindingFlags any =
            BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
        var method = type.GetMethod(function.MethodName, any, binder: null, parameters, modifiers: null)
            ?? throw new WorkerSetupException($"method {function.DisplayName} was not found");

        object? target = null;
        if (function.OnSingletonClosure)
        {
            var field = type.GetField(FunctionRef.SingletonClosureField,
                BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                ?? throw new WorkerSetupException($"{function.TypeName} has no closure singleton");
            target = field.GetValue(null);
        }
        return new ResolvedFunction(method, target);
    }

    private static Assembly FindAssembly(FunctionRef function)
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.FullName == function.AssemblyName)
            .ToList();
        var match = loaded.FirstOrDefault(a => a.ManifestModule.ModuleVersionId == function.ModuleVersionId)
            ?? loaded.FirstOrDefault();
        if (match is not null) return match;
        // Embedded mode: the pool that started this worker runs on this machine and says where the assembly is. A host
        // on
        // the network never loads a file because a message named it: it runs the application it was started with
        // (--app).
        if (TrustAssemblyPaths && function.AssemblyPath is { } path && File.Exists(path)) return AppAssemblyLoader.Load(
            path);
        try { return Assembly.Load(new AssemblyName(function.AssemblyName)); }
        catch (Exception e)
        {
            throw new WorkerSetupException(
                $"assembly {function.AssemblyName} is not available on host {Environment.MachineName}: " +
                $"start the worker with --app pointing at the application's build ({e.GetType().Name}: {e.Message})");
        }
    }
}

/// <summary>The worker cannot run a function at all (missing assembly, different build); the message says
/// why.</summary>
internal sealed class WorkerSetupException(string message) : Exception(message)
{
    /// <summary>True when the worker refused the function on purpose (a .NET method), rather than failing to find
    /// it.</summary>
    public bool Refused { get; init; }
}
