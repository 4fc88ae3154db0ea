using ClusterPool.Contracts;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Worker;

/// <summary>
/// Python's <c>initializer(*initargs)</c>: run once in each worker process as it starts (a task waits for it). If it
/// throws, every task of this process fails with that error (Python would restart the worker in a loop for ever).
/// </summary>
internal sealed class ProcessInitializer(FunctionRef? function, byte[]? args)
{
    private readonly Lazy<Exception?> _outcome = new(() => Run(function, args),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Runs the initializer the first time; returns its exception (every time) if it failed, else
    /// null.</summary>
    public Exception? EnsureRan() => _outcome.Value;

    private static Exception? Run(FunctionRef? function, byte[]? args)
    {
        if (function is null) return null;
        try
        {
            var values = args is null ? [] : PayloadSerializer.Deserialize<object?[]>(
                args, "the initializer's arguments");
            FunctionResolver.Resolve(function).Invoke(values);
            return null;
        }
        catch (Exception e) { return e; }
    }
}
