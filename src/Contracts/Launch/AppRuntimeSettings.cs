namespace ClusterPool.Contracts.Launch;

/// <summary>
/// The app's own runtime settings (its runtimeconfig: GC, tiered compilation, PGO, globalization), passed to a worker
/// host started from <c>clusterpool-worker.dll</c> as the environment variables .NET reads the same settings from. A
/// worker then runs the app's code as the app's own process would: with dynamic PGO when the app has it (without, a
/// pricing library ran ~40 % slower in a worker than in the caller), with the app's cultures (an invariant worker
/// cannot even load <c>de-DE</c>), with the app's GC. A worker that runs inside the app's own executable reads the
/// app's runtimeconfig itself and needs none of this.
/// </summary>
internal static class AppRuntimeSettings
{
    /// <summary>Each runtimeconfig property, and the environment variable that sets the same thing.</summary>
    public static readonly IReadOnlyList<(string Property, string Variable)> Passed =
    [
        ("System.GC.Server", "DOTNET_gcServer"),
        ("System.GC.Concurrent", "DOTNET_gcConcurrent"),
        ("System.GC.RetainVM", "DOTNET_GCRetainVM"),
        ("System.Runtime.TieredCompilation", "DOTNET_TieredCompilation"),
        ("System.Runtime.TieredCompilation.QuickJit", "DOTNET_TC_QuickJit"),
        ("System.Runtime.TieredCompilation.QuickJitForLoops", "DOTNET_TC_QuickJitForLoops"),
        ("System.Runtime.TieredPGO", "DOTNET_TieredPGO"),
        ("System.Globalization.Invariant", "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"),
    ];

    /// <summary>
    /// Adds to <paramref name="environment"/> each setting the app has (<paramref name="appSetting"/>, by default this
    /// process's <see cref="AppContext.GetData"/>), as 1 or 0. A variable already in the environment is left as it is:
    /// the user set it for the app's processes, workers included.
    /// </summary>
    public static void CopyTo(IDictionary<string, string?> environment, Func<string, object?>? appSetting = null)
    {
        appSetting ??= AppContext.GetData;
        foreach (var (property, variable) in Passed)
        {
            if (environment.ContainsKey(variable) || !bool.TryParse(
                appSetting(property)?.ToString(), out var on)) continue;
            environment[variable] = on ? "1" : "0";
        }
    }
}
