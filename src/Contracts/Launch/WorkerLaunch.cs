using System.Diagnostics;

namespace ClusterPool.Contracts.Launch;

/// <summary>How worker hosts start from this process: which file runs, with which arguments first.</summary>
/// <param name="FileName">The executable: a shared install's <c>dotnet</c>, or the application's own
/// executable.</param>
/// <param name="LeadingArguments">What comes before the host's own arguments (the host's DLL, or the marker).</param>
/// <param name="Description">What is started, on which runtime and platform: error messages quote it.</param>
/// <param name="InsideApp">True when the worker host runs inside the application's own executable.</param>
internal sealed record WorkerLaunch(string FileName, IReadOnlyList<string> LeadingArguments, string Description,
    bool InsideApp)
{
    /// <summary>
    /// The start info for a worker host with <paramref name="args"/> (stdin a pipe from this process), with the app's
    /// runtime settings (<see cref="AppRuntimeSettings"/>).
    /// </summary>
    public ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(FileName) { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var arg in LeadingArguments.Concat(args)) start.ArgumentList.Add(arg);
        if (InsideApp) WorkerProcess.AddMarkers(start.Environment);
        else AppRuntimeSettings.CopyTo(start.Environment);
        return start;
    }
}
