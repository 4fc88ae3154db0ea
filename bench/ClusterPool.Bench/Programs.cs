using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// Runs the small programs the SSH fixtures need (ssh-keygen, ip, ssh) to their end and captures what they say, so a
/// failure names the command and its error instead of a bare exit code.
/// </summary>
internal static class Programs
{
    /// <summary>How long <see cref="Run"/> waits when the caller names no limit.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/>, its stdin closed (ssh would read it otherwise), and
    /// returns how it ended; kills it and throws <see cref="TimeoutException"/> when it outlives
    /// <paramref name="timeout"/>.
    /// </summary>
    public static ProgramResult Run(string file, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? DefaultTimeout;
        if (!process.WaitForExit(limit))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"{Show(info)} did not end within {limit.TotalSeconds:0.#} s");
        }
        process.WaitForExit();
        return new ProgramResult(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>As <see cref="Run"/>, and throws naming the command and its output unless it exits with 0.</summary>
    public static ProgramResult Check(string file, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var list = args.ToList();
        var result = Run(file, list, timeout);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', list)} failed: {result}");
        return result;
    }

    private static string Show(ProcessStartInfo info) => $"{info.FileName} {string.Join(' ', info.ArgumentList)}";
}
