using System.Diagnostics;
using ClusterPool.Contracts.Launch;

namespace ClusterPool.Bench;

/// <summary>Starts this tool again as a child process (<c>clusterpool ARGS</c>): for suites that need a fresh process.</summary>
internal static class ToolProcess
{
    /// <summary>The start info for <c>clusterpool <paramref name="args"/></c>, its output redirected.</summary>
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        // On a shared .NET install, its dotnet runs the tool's DLL (it sits beside this assembly); a tool that carries its
        // own runtime runs itself.
        var dotnet = WorkerProcess.DotnetHost();
        var start = new ProcessStartInfo(dotnet ?? Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (dotnet is not null) start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ClusterPool.Cli.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return start;
    }
}
