namespace ClusterPool.Contracts.Launch;

/// <summary>
/// What a worker process's environment gets on top of what it inherits from the process that starts it (a pool, or a
/// supervisor on a host), and what it must not inherit: the diagnostic ports of a tool that started that process.
/// <c>dotnet-trace collect -- dotnet app.dll</c> and <c>dotnet-monitor</c> set <c>DOTNET_DiagnosticPorts</c> with the
/// runtime suspended at start until the tool resumes it; the tool resumes the program it started, never its workers,
/// which then waited for ever, suspended, and the pool for them. A worker is traced by its own id instead
/// (<c>dotnet-trace collect -p PID</c>).
/// </summary>
internal static class WorkerEnvironment
{
    // .NET reads both prefixes. DefaultDiagnosticPortSuspend suspends the runtime on its default port as well.
    private static readonly string[] ToolVariables =
    [
        "DOTNET_DiagnosticPorts", "COMPlus_DiagnosticPorts", "DOTNET_DefaultDiagnosticPortSuspend",
        "COMPlus_DefaultDiagnosticPortSuspend",
    ];

    /// <summary>Prepares a worker's <paramref name="environment"/> (a <c>ProcessStartInfo</c>'s, which starts as a copy
    /// of this process's): the gen0 budget of <paramref name="gcGen0Size"/> bytes (<see cref="WorkerGcBudget"/>), and
    /// no tool's diagnostic port.</summary>
    public static void Prepare(IDictionary<string, string?> environment, long gcGen0Size)
    {
        WorkerGcBudget.AddTo(environment, gcGen0Size);
        var inherited = environment.Keys.Where(key => ToolVariables.Contains(key, StringComparer.OrdinalIgnoreCase));
        foreach (var name in inherited.ToList()) environment.Remove(name);
    }
}
