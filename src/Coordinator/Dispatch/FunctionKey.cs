using ClusterPool.Contracts;

namespace ClusterPool.Dispatch;

/// <summary>
/// A function's identity for per-function bookkeeping (its items' times): its build and its name. Asked on every
/// dispatch and result, so a struct of the reference's fields, no string built per call.
/// </summary>
internal readonly record struct FunctionKey(Guid Build, string Type, string Method)
{
    public static FunctionKey Of(FunctionRef function) =>
        new(function.ModuleVersionId, function.TypeName, function.MethodName);
}
