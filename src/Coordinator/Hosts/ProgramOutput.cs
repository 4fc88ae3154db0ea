using System.Diagnostics;
using System.Text;
using ClusterPool.Output;

namespace ClusterPool.Hosts;

/// <summary>What a short-lived program of OpenSSH's (<c>ssh-keyscan</c>, <c>ssh -G</c>) prints, for a message or a
/// lookup: its stdout, or null when it cannot be started or does not end in time.</summary>
internal static class ProgramOutput
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>; its stdout (lines ending in <c>\n</c>), or
    /// null when it does not end, and its stdout with it, within <paramref name="timeout"/>.</summary>
    public static string? Read(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in args) info.ArgumentList.Add(argument);
        var clock = Stopwatch.StartNew();
        try
        {
            using var program = Process.Start(info)!;
            var output = new StringBuilder();
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ChildProcessLines.Follow(program.StandardOutput, "clusterpool-program-stdout", line =>
            {
                if (line is null) ended.TrySetResult();
                else lock (output) output.Append(line).Append('\n');
            });
            ChildProcessLines.Follow(program.StandardError, "clusterpool-program-stderr", _ => { }); // drained
            if (program.WaitForExit(Left(timeout, clock)) && ended.Task.Wait(Left(timeout, clock)))
            {
                lock (output) return output.ToString();
            }
            program.Kill();
            return null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }

    private static TimeSpan Left(TimeSpan timeout, Stopwatch clock) =>
        timeout > clock.Elapsed ? timeout - clock.Elapsed : TimeSpan.Zero;
}
