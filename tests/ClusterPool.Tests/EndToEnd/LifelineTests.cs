using System.Diagnostics;
using ClusterPool.Contracts.Security;
using ClusterPool.Workers;
using Xunit;
using Xunit.Abstractions;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>What a task of a host started over SSH can see of the host's environment.</summary>
public static class LifelineFunctions
{
    /// <summary>The certificate's variable in the task's process (the child host), or null: the host forgets it once loaded.</summary>
    public static string? CertificateVariable(int _) => Environment.GetEnvironmentVariable("CLUSTERPOOL_CERT_PFX");
}

/// <summary>
/// A worker host as a pool will start it on another machine over SSH, here by hand on loopback: its certificate comes in
/// CLUSTERPOOL_CERT_PFX (--cert-from-env, the bytes of a one-time cluster's node.pfx, base64) and it joins the pool over
/// TLS; with --exit-with-stdin its stdin is its lifeline: open, it runs on; closed (the session ended), the host and its
/// child host and what its tasks started are gone within seconds, with exit code 78 and a line saying why. Without the
/// flag its stdin means nothing, as before.
/// </summary>
public sealed class LifelineTests(ITestOutputHelper log) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("clusterpool-lifeline-").FullName;
    private readonly byte[] _node = ClusterCertificates.NewOneTimeNode("lifeline", TimeSpan.FromHours(1));
    private readonly List<int> _started = [];

    /// <summary>A pool on loopback over TLS, with the one-time cluster's node file (written owner-only, as cert new does).</summary>
    private Pool StartPool()
    {
        var file = Path.Combine(_folder, ClusterCertificates.NodeFile);
        if (!File.Exists(file))
        {
            File.WriteAllBytes(file, _node);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{LoopbackPort.Free()}", Processes = 2, Certificate = file });
    }

    /// <summary>A by-hand host of two slots with its certificate in the environment; its stdin a pipe from this test when asked.</summary>
    private Process StartHost(Pool pool, bool exitWithStdin, bool stdinPipe)
    {
        string[] args = ["--join", pool.Address, "--app", Binaries.TestsAssembly, "--slots", "2", "--cert-from-env", .. exitWithStdin ? ["--exit-with-stdin"] : Array.Empty<string>()];
        var host = Binaries.Start(Binaries.Worker, args, redirectStdin: stdinPipe,
            environment: new Dictionary<string, string> { ["CLUSTERPOOL_CERT_PFX"] = Convert.ToBase64String(_node) });
        _started.Add(host.Id);
        return host;
    }

    /// <summary>Waits until the host's two slots registered; fails at once if it exits instead.</summary>
    private static void WaitForSlots(Pool pool, Process host)
    {
        Wait.For(() => pool.Slots >= 2 || host.HasExited, Patience, "the host's two slots to register over TLS");
        Assert.False(host.HasExited, $"the host exited with code {(host.HasExited ? host.ExitCode : 0)} instead of joining");
    }

    [Fact]
    public void AHostWithItsCertificateInTheEnvironmentJoinsOverTlsAndRunsAMap()
    {
        using var pool = StartPool();
        using var host = StartHost(pool, exitWithStdin: false, stdinPipe: false);
        var said = host.StandardError.ReadToEndAsync();
        try
        {
            WaitForSlots(pool, host);
            var ran = pool.Map(TestFunctions.Sleep, Enumerable.Repeat(0.05, 10), chunksize: 1);
            // A host started by hand supervises: the tasks ran in its child, which got the flag (and no file).
            Assert.Equal([host.Id], ran.Select(r => Processes.ParentOf(r.Pid)).Distinct());
            var child = Assert.Single(Processes.WorkersOf(host.Id));
            var line = File.ReadAllText($"/proc/{child}/cmdline").Split('\0');
            Assert.Contains("--cert-from-env", line);
            Assert.DoesNotContain("--cert", line);
            // The child host took the key out of the environment its tasks (and what they start) see.
            Assert.True(pool.Map(LifelineFunctions.CertificateVariable, [0]).Single() is null, "a task saw the certificate's variable");
            pool.Close();
            pool.Join();
            Assert.True(host.WaitForExit(TimeSpan.FromSeconds(30)), "the host did not exit after the pool closed");
            Assert.Equal(0, host.ExitCode);
        }
        finally { Processes.KillTree(host); }
        Assert.True(said.Wait(TimeSpan.FromSeconds(10)), "the host's stderr did not close");
        log.WriteLine(said.Result);
        Assert.DoesNotContain(Convert.ToBase64String(_node)[..40], said.Result); // never printed
        var lines = said.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 2, said.Result);
        Assert.StartsWith("clusterpool worker: joined the pool", lines[0]);
        Assert.Contains("clusterpool worker: exiting: the pool at", lines[1]);
    }

    /// <summary>
    /// The session ends while the host is busy: it kills its child host's process group at once (no graceful stop: no
    /// one is left to hand work back to) and exits 78, saying why. Lines written on stdin before that change nothing.
    /// </summary>
    [Fact]
    public void AHostWithALifelineStopsWithItsChildAndWhatItsTasksStartedWhenStdinCloses()
    {
        using var pool = StartPool();
        using var host = StartHost(pool, exitWithStdin: true, stdinPipe: true);
        var said = host.StandardError.ReadToEndAsync();
        _ = host.StandardOutput.ReadToEndAsync();
        try
        {
            WaitForSlots(pool, host);
            var child = Assert.Single(Processes.WorkersOf(host.Id));
            var (sleeper, orphan, worker) = pool.Map(SpawningFunctions.StartSleepers, [0]).Single();
            Assert.Equal(child, worker);
            _started.AddRange([child, sleeper, orphan]);
            host.StandardInput.WriteLine("anything: reserved, ignored");
            host.StandardInput.Flush();
            // Both slots busy for a minute: a graceful stop would wait for them (or their hand-back).
            var running = pool.MapAsync(TestFunctions.Sleep, Enumerable.Repeat(60.0, 2), chunksize: 1);
            Wait.For(() => pool.Statistics.BusySlots == 2, Patience, "both slots to run a task");
            Assert.False(host.HasExited, "the host exited before its stdin closed");

            var closing = Stopwatch.StartNew();
            host.StandardInput.Dispose();
            Assert.True(host.WaitForExit(TimeSpan.FromSeconds(10)), "the host did not exit within 10 s of its stdin closing");
            log.WriteLine($"the host exited {closing.ElapsedMilliseconds} ms after its stdin closed");
            Assert.Equal(78, host.ExitCode);
            Processes.AssertAllExited([child, sleeper, orphan]);
            Assert.Empty(Processes.WorkersOf(host.Id));
            Assert.False(running.Ready);
        }
        finally { Processes.KillTree(host); }
        Assert.True(said.Wait(TimeSpan.FromSeconds(10)), "the host's stderr did not close (a process that holds it lives on)");
        log.WriteLine(said.Result);
        var lines = said.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("clusterpool worker: exiting: its stdin reached end-of-file (the session that started it ended)", lines[^1]);
        Assert.Single(lines, l => l.Contains("exiting:"));
    }

    /// <summary>
    /// With the flag, an open stdin keeps the host (lines on it are ignored) and the pool's close still ends it as ever
    /// (code 0); without the flag, a stdin closed at once means nothing, as for any host started by hand.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AHostRunsWhileItsLifelineIsOpenAndWithoutTheFlagIgnoresItsStdin(bool exitWithStdin)
    {
        using var pool = StartPool();
        using var host = StartHost(pool, exitWithStdin, stdinPipe: true);
        var said = host.StandardError.ReadToEndAsync();
        _ = host.StandardOutput.ReadToEndAsync();
        try
        {
            if (exitWithStdin)
            {
                host.StandardInput.WriteLine("anything: reserved, ignored");
                host.StandardInput.Flush();
            }
            else host.StandardInput.Dispose(); // end-of-file at once: no lifeline without the flag
            WaitForSlots(pool, host);
            var ran = pool.Map(TestFunctions.Sleep, Enumerable.Repeat(0.5, 10), chunksize: 1); // some seconds
            Assert.Equal([host.Id], ran.Select(r => Processes.ParentOf(r.Pid)).Distinct());
            Assert.False(host.HasExited);
            pool.Close();
            pool.Join();
            Assert.True(host.WaitForExit(TimeSpan.FromSeconds(30)), "the host did not exit after the pool closed");
            Assert.Equal(0, host.ExitCode);
        }
        finally
        {
            if (exitWithStdin) host.StandardInput.Dispose();
            Processes.KillTree(host);
        }
        Assert.True(said.Wait(TimeSpan.FromSeconds(10)), "the host's stderr did not close");
        Assert.Contains("clusterpool worker: exiting: the pool at", said.Result);
    }

    public void Dispose()
    {
        // Whatever a failed test left: the hosts and, by pid, their children and what their tasks started (only while
        // the pid is still one of those: never another process that got it since).
        foreach (var pid in _started.Where(Processes.IsRunning))
        {
            try
            {
                var line = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
                if (!line.Contains("clusterpool-worker") && !line.StartsWith("sleep 300")) continue;
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException) { }
        }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
