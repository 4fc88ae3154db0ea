using System.Diagnostics;
using System.Text.Json;

namespace ClusterPool.Bench;

/// <summary>
/// The Python side: finds the baselines folder (<c>bench/python</c>) and a <c>python3</c>, runs a script there as a child process
/// and reads the figures it prints on stdout, one JSON object a line.
/// </summary>
internal static class PythonBaseline
{
    /// <summary>A script that runs longer than this is killed; its figures so far are kept.</summary>
    public static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The folder beside this assembly where the build (and the tool's package) puts the scripts of <c>bench/python</c>.</summary>
    private const string Bundled = "bench-python";
    private const string Shell = "/bin/sh";

    /// <summary>
    /// The baselines folder: <paramref name="given"/> if set (it must exist), else the copy of <c>bench/python</c> that
    /// ships beside this program. Null if there is none.
    /// </summary>
    public static string? Locate(string? given)
    {
        if (given is not null)
            return Directory.Exists(given) ? Path.GetFullPath(given) : throw new ArgumentException($"--baselines: no folder \"{given}\"");
        var bundled = Path.Combine(Path.GetDirectoryName(typeof(PythonBaseline).Assembly.Location) ?? AppContext.BaseDirectory, Bundled);
        return File.Exists(Path.Combine(bundled, "workloads.py")) ? bundled : null;
    }

    /// <summary>The full path of <c>python3</c> on PATH, or null.</summary>
    public static string? FindPython()
    {
        var names = OperatingSystem.IsWindows() ? new[] { "python3.exe", "python.exe" } : ["python3"];
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => names.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The interpreter's version (<c>3.11.7</c>), or null if it does not answer within 10 s.</summary>
    public static string? Version(string python)
    {
        var start = new ProcessStartInfo(python, ["-c", "import platform; print(platform.python_version())"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                Kill(process);
                return null;
            }
            return process.ExitCode == 0 ? output.Result.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }

    /// <summary>
    /// Runs <paramref name="script"/> in <paramref name="folder"/> (its working directory, so it finds <c>common.py</c>)
    /// and returns the figures it printed. Its stderr passes through to ours. Throws <see cref="PythonScriptException"/>
    /// (holding the figures printed so far) if it fails or times out, and <see cref="OperationCanceledException"/> if
    /// interrupted; the child never outlives the call.
    /// </summary>
    public static IReadOnlyList<Figure> Run(string python, string folder, string script, IReadOnlyList<string> args, CancellationToken cancel)
    {
        var start = new ProcessStartInfo
        {
            WorkingDirectory = folder,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (File.Exists(Shell))
        {
            // On Linux a process's ru_maxrss starts at its parent's RSS when it is forked and survives exec, so a script
            // started directly from this (~150 MiB) process would report that as its base, and memory.py's growth as 0.
            // A small shell forks the script instead (the trailing "exit" keeps it from exec-ing), so its base is the
            // shell's few MiB, as when the script is run by hand.
            start.FileName = Shell;
            foreach (var arg in new[] { "-c", "\"$0\" \"$@\"; exit $?", python, script }) start.ArgumentList.Add(arg);
        }
        else
        {
            start.FileName = python;
            start.ArgumentList.Add(script);
        }
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Unbuffered, so figures arrive as they are measured (common.report flushes anyway).
        start.Environment["PYTHONUNBUFFERED"] = "1";

        var figures = new List<Figure>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && Parse(line) is { } figure) lock (figures) figures.Add(figure);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line) Console.Error.WriteLine($"  [{script}] {line}");
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        string? failure = null;
        using (cancel.Register(() => Kill(process)))
        {
            if (!process.WaitForExit(ScriptTimeout))
            {
                Kill(process);
                failure = $"killed after {ScriptTimeout.TotalMinutes:0} minutes";
            }
            process.WaitForExit(); // drains the redirected streams
        }
        cancel.ThrowIfCancellationRequested();
        failure ??= process.ExitCode != 0 ? $"exited with code {process.ExitCode}" : null;
        if (failure is not null) throw new PythonScriptException($"{script} {failure}", figures);
        return figures;
    }

    /// <summary>
    /// A figure from one line of a script's stdout: a number, or an outcome in words (worker_death.py's "outcome");
    /// null for anything else.
    /// </summary>
    private static Figure? Parse(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("value", out var value)) return null;
            return value.ValueKind switch
            {
                JsonValueKind.Number => new Figure(Text(root, "case"), Text(root, "metric"), value.GetDouble(), Text(root, "unit")),
                JsonValueKind.String => Figure.Outcome(Text(root, "case"), Text(root, "metric"), value.GetString()!),
                _ => null,
            };
        }
        catch (JsonException) { return null; }
    }

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { /* already gone */ }
    }
}

/// <summary>A Python script failed; <see cref="Figures"/> holds what it printed before.</summary>
internal sealed class PythonScriptException(string message, IReadOnlyList<Figure> figures) : Exception(message)
{
    /// <summary>The figures printed before the failure.</summary>
    public IReadOnlyList<Figure> Figures { get; } = figures;
}
