using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ClusterPool.Worker;

/// <summary>How to start a worker host process: <c>dotnet clusterpool-worker.dll ARGS</c> with the runtime that runs this process.</summary>
public static class WorkerProcess
{
    /// <summary>
    /// The start info for a worker host with <paramref name="args"/>. Its stdin is a pipe from this process: when this
    /// process dies, even by <c>kill -9</c>, the pipe closes and a worker started with <c>--parent-pid</c> exits.
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(DotnetHost()) { UseShellExecute = false, RedirectStandardInput = true };
        start.ArgumentList.Add(WorkerHostPath());
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return start;
    }

    /// <summary>
    /// The <c>clusterpool-worker.dll</c> of this build (a project reference copies it next to the coordinator): its
    /// precompiled copy in <c>clusterpool-worker-r2r/</c> when the build made one (it starts in half the CPU time).
    /// </summary>
    private static string WorkerHostPath()
    {
        var path = typeof(WorkerProcess).Assembly.Location;
        if (!File.Exists(path)) path = Path.Combine(AppContext.BaseDirectory, "clusterpool-worker.dll");
        var precompiled = Path.Combine(Path.GetDirectoryName(path)!, "clusterpool-worker-r2r", "clusterpool-worker.dll");
        return File.Exists(precompiled) ? precompiled : path;
    }

    /// <summary>The <c>dotnet</c> host that runs this process, to run another program (a worker) with the same runtime.</summary>
    public static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        var exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var candidate = Path.Combine(root, exe);
        return File.Exists(candidate) ? candidate : exe;
    }
}
