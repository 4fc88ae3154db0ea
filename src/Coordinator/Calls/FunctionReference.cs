using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using ClusterPool.Contracts;

namespace ClusterPool.Calls;

/// <summary>
/// Names a delegate by reference for the wire, as Python's pickle names a function: a static method, or a lambda that
/// captures nothing. Anything else cannot be re-created in another process and is refused here, at the call.
/// </summary>
internal static class FunctionReference
{
    private static readonly ConcurrentDictionary<MethodInfo, FunctionRef> Known = new();

    /// <summary>The reference for <paramref name="function"/>; throws <see cref="ArgumentException"/> saying what to
    /// pass instead.</summary>
    public static FunctionRef From(Delegate? function, string parameterName = "function")
    {
        ArgumentNullException.ThrowIfNull(function, parameterName);
        // A method's reference never changes: the checks and names below are worked out once per method, not per call.
        if (Known.TryGetValue(function.Method, out var known) && function.GetInvocationList().Length == 1) return known;
        var reference = Make(function, parameterName);
        Known.TryAdd(function.Method, reference);
        return reference;
    }

    /// <summary>
    /// Who <paramref name="function"/> is in a checkpoint: its name, parameter and result types, and for a method the
    /// compiler named (a lambda, a local function) what its body does (<see cref="Checkpoints.MethodFingerprint"/>):
    /// such a name is only the compiler's numbering, which a lambda added above it takes over.
    /// </summary>
    public static string CheckpointIdentity(FunctionRef function)
    {
        // The method this reference was made for: Known holds each once (a scan, once per checkpointed call).
        var method = Known.FirstOrDefault(known => ReferenceEquals(known.Value, function)).Key;
        if (method is null) return function.DisplayName;
        var signature = $"{function.DisplayName}({string.Join(", ", method.GetParameters().Select(
            p => TypeName(p.ParameterType)))}) -> {TypeName(method.ReturnType)}";
        var compilerNamed = method.Name.Contains('<') || method.DeclaringType?.FullName?.Contains('<') == true;
        return compilerNamed ? $"{signature} body {Checkpoints.MethodFingerprint.Of(method)}" : signature;
    }

    /// <summary>A type's name without assembly versions: <c>System.Threading.Tasks.Task`1[System.Double]</c>.</summary>
    private static string TypeName(Type type) => type.IsGenericType && !type.IsGenericTypeDefinition
        ? $"{type.GetGenericTypeDefinition().FullName}[" +
            $"{string.Join(", ", type.GetGenericArguments().Select(TypeName))}]"
        : type.FullName ?? type.Name;

    /// <summary>
    /// The variables <paramref name="lambda"/> itself uses of those its closure holds (a closure serves every lambda of
    /// its scope: naming them all blamed a variable another lambda there captured), read from its IL; all the
    /// closure's when the IL cannot be read.
    /// </summary>
    private static IEnumerable<string> CapturedBy(MethodInfo lambda, Type closure)
    {
        if (lambda.GetMethodBody()?.GetILAsByteArray() is not { } il || IlInstructions.Read(il) is not { } code)
            return CapturedNames(closure);
        var closures = new HashSet<Type> { closure };
        var used = new List<string>();
        foreach (var (opcode, at) in code)
        {
            if (opcode.OperandType != System.Reflection.Emit.OperandType.InlineField) continue;
            FieldInfo field;
            try { field = lambda.Module.ResolveField(BitConverter.ToInt32(il, at))!; }
            catch (ArgumentException) { continue; }
            if (field.DeclaringType is not { } owner || !closures.Contains(owner)) continue;
            // An outer scope's closure: its fields, loaded next, are the variables.
            if (field.Name.StartsWith("CS$<>", StringComparison.Ordinal)) closures.Add(field.FieldType);
            else if (VariableName(field) is { } name) used.Add(name);
        }
        return used.Count > 0 ? used : CapturedNames(closure);
    }

    /// <summary>The name a closure's field has in the code: <c>this</c> for the enclosing object; null for the
    /// compiler's own fields.</summary>
    private static string? VariableName(FieldInfo field)
    {
        var name = field.Name;
        if (name == "<>4__this") return "this";
        if (name.StartsWith("<>", StringComparison.Ordinal) || name.StartsWith("CS$<>", StringComparison.Ordinal))
            return null;
        return name.StartsWith('<') && name.IndexOf('>') is > 1 and var end ? name[1..end] : name;
    }

    /// <summary>
    /// The variables a compiler-made closure holds, by the names they have in the code: an outer scope's closure
    /// (<c>CS$&lt;&gt;8__locals1</c>) by its own variables, <c>this</c> for the enclosing object, and none of the
    /// compiler's own fields (cached delegates). A closure serves every lambda of its scope, so this can name a
    /// variable another lambda there captured: <see cref="CapturedBy"/> reads the lambda's own.
    /// </summary>
    private static IEnumerable<string> CapturedNames(Type closure, int depth = 0)
    {
        foreach (var field in closure.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (field.Name.StartsWith("CS$<>", StringComparison.Ordinal))
            {
                if (depth < 8) foreach (var outer in CapturedNames(field.FieldType, depth + 1)) yield return outer;
            }
            else if (VariableName(field) is { } name) yield return name;
        }
    }

    private static FunctionRef Make(Delegate function, string parameterName)
    {
        if (function.GetInvocationList().Length > 1)
            throw new ArgumentException("a multicast delegate cannot be sent to a worker: pass a single method",
                parameterName);

        var method = function.Method;
        var singletonClosure = false;
        if (!method.IsStatic)
        {
            var targetType = function.Target!.GetType();
            var compilerMade = targetType.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);
            var captured = targetType.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            if (compilerMade && captured.Length > 0)
                throw new ArgumentException(
                    $"the lambda passed as {parameterName} captures variables " +
                        $"({string.Join(", ", CapturedBy(method, targetType).Distinct())}); " +
                    "a worker process cannot see them. Use a static method or a lambda that captures nothing, " +
                    "and pass the values as arguments instead.", parameterName);
            if (!compilerMade || targetType.GetField(FunctionRef.SingletonClosureField,
                BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic) is null)
                throw new ArgumentException(
                    $"{method.DeclaringType?.Name}.{method.Name} is an instance method of an object that lives in " +
                        "this process; " +
                    "a worker cannot call it. Pass a static method, and pass the object's data as arguments.",
                        parameterName);
            singletonClosure = true;
        }
        if (method.ContainsGenericParameters || method.IsGenericMethod)
            throw new ArgumentException($"{method.Name} is a generic method; wrap it in a non-generic static method",
                parameterName);

        var type = method.DeclaringType!;
        var assembly = type.Assembly;
        if (FrameworkAssemblies.Contains(assembly))
            throw new ArgumentException(
                $"{type.Name}.{method.Name} is a .NET method; workers run only your application's functions (so that " +
                    "whoever " +
                "can send work cannot make them run anything at all). Wrap it in a lambda: x => " +
                    $"{type.Name}.{method.Name}(x)", parameterName);
        return new FunctionRef(
            assembly.FullName!,
            type.FullName!,
            method.Name,
            method.GetParameters().Select(p => p.ParameterType.AssemblyQualifiedName!).ToArray(),
            assembly.ManifestModule.ModuleVersionId,
            string.IsNullOrEmpty(assembly.Location) ? null : assembly.Location,
            singletonClosure);
    }
}
