using System.Diagnostics;

namespace ClusterPool.Hosts;

/// <summary>What a short-lived program of OpenSSH's (<c>ssh-keyscan</c>, <c>ssh -G</c>) prints, for a message or a
/// lookup: its stdout, or null when it cannot be started or does not end in time.</summary>
internal static class ProgramOutput
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>; its stdout, or null.</summary>
    public static string? Read(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in args) info.ArgumentList.Add(argument);
        try
        {
            using var program = Process.Start(info)!;
            var output = program.StandardOutput.ReadToEndAsync();
            _ = program.StandardError.ReadToEndAsync();
            if (program.WaitForExit(timeout)) return output.Result;
            program.Kill();
            return null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }
}
