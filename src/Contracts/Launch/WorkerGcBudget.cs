namespace ClusterPool.Contracts.Launch;

/// <summary>
/// The gen0 budget a worker process starts with (<c>DOTNET_GCgen0size</c>, hexadecimal bytes; the runtimeconfig has no
/// such setting). Each gen0 collection costs a worker more than it costs a plain app (Akka's threads and heap), so a
/// worker collects less often (<c>hocon/coordinator.hocon</c>, <c>gc-gen0-size</c>, says why and what was measured).
/// Every worker process gets it: those a pool starts here or over SSH, and the host a supervisor starts.
/// </summary>
internal static class WorkerGcBudget
{
    /// <summary>.NET's variable for the gen0 budget.</summary>
    public const string Variable = "DOTNET_GCgen0size";

    /// <summary>
    /// Adds a budget of <paramref name="bytes"/> to a worker's <paramref name="environment"/>, unless it holds one
    /// already (a budget the user set for the app's processes, inherited, stays theirs) or <paramref name="bytes"/> is
    /// 0 (.NET's own budget).
    /// </summary>
    public static void AddTo(IDictionary<string, string?> environment, long bytes)
    {
        if (Value(bytes) is { } value && !environment.ContainsKey(Variable)) environment[Variable] = value;
    }

    /// <summary>
    /// The budget for a worker started on another machine, whose environment inherits nothing of this process's: the
    /// user's own <c>DOTNET_GCgen0size</c> when this process has one, else <paramref name="bytes"/>; null for .NET's
    /// own.
    /// </summary>
    public static string? ForAnotherMachine(long bytes) => Environment.GetEnvironmentVariable(Variable) ?? Value(bytes);

    /// <summary>The variable's value for <paramref name="bytes"/> (hexadecimal, as .NET reads it); null for
    /// 0.</summary>
    private static string? Value(long bytes) => bytes > 0 ? bytes.ToString("x") : null;
}
