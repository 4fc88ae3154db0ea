using System.Collections.Concurrent;
using System.Reflection;
using ClusterPool.Contracts;

namespace ClusterPool.Worker;

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
                    "machine.") { HostCannotRun = !TrustAssemblyPaths };

        var type = assembly.GetType(function.TypeName, throwOnError: false)
            ?? throw new WorkerSetupException($"type {function.TypeName} was not found in {assembly.GetName().Name}");
        var parameters = function.ParameterTypes.Select(name => Type.GetType(name, throwOnError: false)
            ?? throw new WorkerSetupException(
                $"parameter type {name} of {function.DisplayName} cannot be loaded on host " +
                $"{Environment.MachineName}: copy the application's whole build output there")
            {
                HostCannotRun = !TrustAssemblyPaths
            }).ToArray();
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
        // on the network never loads a file because a message named it: it runs the application it was started with
        // (--app).
        if (TrustAssemblyPaths && function.AssemblyPath is { } path && File.Exists(path)) return AppAssemblyLoader.Load(
            path);
        try { return Assembly.Load(new AssemblyName(function.AssemblyName)); }
        catch (Exception e)
        {
            throw new WorkerSetupException(
                $"assembly {function.AssemblyName} is not available on host {Environment.MachineName}: " +
                $"start the worker with --app pointing at the application's build ({e.GetType().Name}: {e.Message})")
            {
                HostCannotRun = !TrustAssemblyPaths
            };
        }
    }
}
