using System.Diagnostics;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// Debian's headless Chromium (<c>/usr/bin/chromium</c>), for the dashboard tests: installed on first use when this
/// runs as root with apt-get (<see cref="DebianPackages"/>), else a failure that says how. Each run has a profile directory of its own, and every
/// process whose command line names it is killed when the run ends, so no browser process outlives a test.
/// </summary>
public static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<string> Installed = new(Install);

    /// <summary>
    /// The page's DOM once its scripts ran: <paramref name="budgetMs"/> of virtual time lets the page load, fetch its
    /// state and draw it (Chromium waits for pending requests before it advances virtual time).
    /// </summary>
    public static string DumpDom(string url, int budgetMs = 3000) =>
        Run([$"--virtual-time-budget={budgetMs}", "--dump-dom", url]);

    /// <summary>A PNG of the page at <paramref name="width"/>×<paramref name="height"/>, written to <paramref name="file"/>.</summary>
    public static void Screenshot(string url, string file, int width = 1280, int height = 900, int budgetMs = 3000)
    {
        Run([$"--virtual-time-budget={budgetMs}", $"--window-size={width},{height}", "--hide-scrollbars", $"--screenshot={Path.GetFullPath(file)}", url]);
        Assert.True(File.Exists(file), $"chromium wrote no screenshot to {file}");
    }

    private static string Run(IEnumerable<string> args)
    {
        var executable = Installed.Value;
        var profile = Directory.CreateTempSubdirectory("clusterpool-chromium-");
        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // No sandbox: the tests may run as root, where Chromium's sandbox refuses to start.
        foreach (var arg in (string[])["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--no-default-browser-check", "--disable-extensions", "--mute-audio", $"--user-data-dir={profile.FullName}"])
            info.ArgumentList.Add(arg);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var chromium = Process.Start(info)!;
        try
        {
            var stdout = chromium.StandardOutput.ReadToEndAsync();
            var stderr = chromium.StandardError.ReadToEndAsync(); // D-Bus complaints and the like: read so the pipe never fills
            Assert.True(chromium.WaitForExit(RunTimeout), $"chromium did not finish within {RunTimeout.TotalSeconds} s");
            chromium.WaitForExit();
            Assert.True(chromium.ExitCode == 0, $"chromium exited with code {chromium.ExitCode}: {Tail(stderr.Result)}");
            return stdout.Result;
        }
        finally
        {
            Processes.KillTree(chromium);
            KillProcessesNaming(profile.FullName);
            try { profile.Delete(recursive: true); } catch (IOException) { } // a helper still closing its files: the temp folder keeps it
        }
    }

    /// <summary>Kills every process whose command line holds <paramref name="marker"/> (a browser helper that outlived its parent).</summary>
    private static void KillProcessesNaming(string marker)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (!File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker)) continue;
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(5000);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException) { }
        }
    }

    private static string Install()
    {
        var whyNot = DebianPackages.Ensure(Executable, "chromium");
        Assert.True(whyNot is null, $"the dashboard tests need a headless Chromium: {whyNot}");
        return Executable;
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];
}
