namespace ClusterPool.Contracts;

/// <summary>
/// A user function named by reference, the way Python's pickle names a function: assembly, type and method.
/// Workers resolve the same method in the same build of the same assembly; nothing executable crosses the wire.
/// </summary>
/// <param name="AssemblyName">The full name of the assembly that declares the method.</param>
/// <param name="TypeName">The declaring type's full name (nested types with '+').</param>
/// <param name="MethodName">The method's name.</param>
/// <param name="ParameterTypes">Assembly-qualified names of the parameter types, to pick the right overload.</param>
/// <param name="ModuleVersionId">The build of the assembly the coordinator runs; a worker with another build refuses
/// the task.</param>
/// <param name="AssemblyPath">Where the coordinator loaded the assembly from: a hint a worker on the same machine may
/// use.</param>
/// <param name="OnSingletonClosure">True for a lambda that captures nothing: an instance method on the compiler's
/// singleton closure object, which the worker takes from the closure type's static field.</param>
internal sealed record FunctionRef(
    string AssemblyName,
    string TypeName,
    string MethodName,
    string[] ParameterTypes,
    Guid ModuleVersionId,
    string? AssemblyPath,
    bool OnSingletonClosure)
{
    /// <summary>A short, readable name for messages: <c>Type.Method</c>.</summary>
    public string DisplayName => $"{TypeName}.{MethodName}";

    /// <summary>The name of the static field where the C# compiler keeps a capture-free lambda's closure
    /// object.</summary>
    public const string SingletonClosureField = "<>9";
}
