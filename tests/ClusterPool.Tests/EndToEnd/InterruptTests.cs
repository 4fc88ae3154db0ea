using ClusterPool.Workers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using ClusterPool.Bench;
using Xunit;
using Xunit.Abstractions;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// Ctrl+C as users press it: SIGINT to the whole process group of a running `clusterpool sample finance`, a real
/// terminal (tmux), twice in a row; SIGTERM at a worker host. Each interrupted run must exit 130, leave no process,
/// leave a sound database of whole batches, and resume to exactly an uninterrupted run's table.
/// </summary>
public sealed class InterruptTests(ITestOutputHelper output) : IDisposable
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigInt = 2, SigTerm = 15, Batch = 50, Companies = 400;
    private readonly string _folder = Directory.CreateTempSubdirectory("clusterpool-interrupt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // 400 companies of 40 ms on 2 workers: about 8 s of work, so a Ctrl+C at 3.5-7 s always lands mid-run (with the pool
    // starting in under a second, 25 ms items let the run end before a late Ctrl+C).
    private string[] FinanceArgs(string db, string? checkpoint) =>
        ["sample", "finance", "--companies", $"{Companies}", "--processes", "2", "--work-ms", "40", "--batch", $"{Batch}",
         "--db", Path.Combine(_folder, db), .. checkpoint is null ? Array.Empty<string>() : ["--checkpoint", Path.Combine(_folder, checkpoint)]];

    /// <summary>Runs the sample to the end; returns its exit code.</summary>
    private int RunToEnd(string db, string? checkpoint)
    {
        using var run = Binaries.Start(Binaries.ClusterPoolCli, FinanceArgs(db, checkpoint));
        var stderr = run.StandardError.ReadToEndAsync();
        _ = run.StandardOutput.ReadToEndAsync();
        try
        {
            Assert.True(run.WaitForExit(TimeSpan.FromSeconds(120)), "the sample did not finish");
            if (run.ExitCode != 0) output.WriteLine(stderr.Result);
            return run.ExitCode;
        }
        finally { Processes.KillTree(run); }
    }

    private List<string> Rows(string db)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, db)};Pooling=False");
        connection.Open();
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", check.ExecuteScalar());
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT * FROM company_scores ORDER BY id";
        using var rows = select.ExecuteReader();
        var all = new List<string>();
        while (rows.Read()) all.Add(string.Join("|", Enumerable.Range(0, rows.FieldCount).Select(i => rows.GetValue(i))));
        return all;
    }

    [Fact]
    public void CtrlCToTheProcessGroupAtRandomMomentsStopsCleanlyAndTheNextRunResumesToTheSameTable()
    {
        Assert.Equal(0, RunToEnd("reference.db", null));
        var reference = Rows("reference.db");
        Assert.Equal(Companies, reference.Count);

        var seed = Environment.TickCount;
        var random = new Random(seed);
        for (var trial = 0; trial < 3; trial++)
        {
            var (db, checkpoint) = ($"trial{trial}.db", $"trial{trial}.ckpt");
            // Its own process group, as a terminal's foreground call; SIGINT at its default, as a terminal gives it.
            using var run = Binaries.Start(Binaries.ClusterPoolCli, FinanceArgs(db, checkpoint), wrapper: ["setsid", "env", "--default-signal=INT"]);
            var stderr = run.StandardError.ReadToEndAsync();
            _ = run.StandardOutput.ReadToEndAsync();
            var workers = new List<int>();
            try
            {
                var wait = TimeSpan.FromMilliseconds(random.Next(3500, 7000));
                var clock = Stopwatch.StartNew();
                while (clock.Elapsed < wait) { workers = workers.Union(Processes.WorkersOf(run.Id)).ToList(); Thread.Sleep(50); }
                Assert.Equal(0, kill(-run.Id, SigInt)); // the whole group: the sample and its workers, as Ctrl+C does
                var signalled = Stopwatch.StartNew();
                Assert.True(run.WaitForExit(TimeSpan.FromSeconds(20)), $"trial {trial} (seed {seed}): no exit within 20 s of Ctrl+C");
                output.WriteLine($"trial {trial}: Ctrl+C after {wait.TotalSeconds:0.0} s, exit {run.ExitCode} after {signalled.Elapsed.TotalSeconds:0.0} s");
                Assert.True(run.ExitCode == 130, $"trial {trial} (seed {seed}): exit code {run.ExitCode}: {stderr.Result}");
            }
            finally { Processes.KillTree(run); }
            Assert.NotEmpty(workers);
            Processes.AssertAllExited(workers, TimeSpan.FromSeconds(5));

            var written = Rows(db);
            Assert.True(written.Count % Batch == 0 || written.Count == Companies, $"trial {trial}: {written.Count} rows: not whole batches of {Batch}");
            Assert.All(written, row => Assert.Contains(row, reference));

            Assert.Equal(0, RunToEnd(db, checkpoint));
            Assert.Equal(reference, Rows(db));
        }
    }

    [Fact]
    public void CtrlCInARealTerminalStopsTheRunWith130()
    {
        var session = $"clusterpool-{Guid.NewGuid():N}"[..20];
        var exitFile = Path.Combine(_folder, "exit");
        var command = $"{Binaries.Dotnet} {Binaries.ClusterPoolCli} {string.Join(' ', FinanceArgs("tty.db", "tty.ckpt"))}; echo $? > {exitFile}";
        Tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "40", command);
        try
        {
            var demo = Wait.For(() => SampleIn(session), pid => pid != 0,
                TimeSpan.FromSeconds(30), "the sample to start");
            Wait.For(() => Processes.PoolWorkersOf(demo).Count == 2,
                TimeSpan.FromSeconds(30), "the sample's 2 workers");
            Thread.Sleep(1500);
            var workers = Processes.WorkersOf(demo); // spares for a next pool too
            Tmux("send-keys", "-t", session, "C-c");
            Wait.For(() => File.Exists(exitFile) && File.ReadAllText(exitFile).Trim().Length > 0,
                TimeSpan.FromSeconds(20),
                "the sample to exit after Ctrl+C in the terminal (its exit code in the file)");
            Assert.Equal("130", File.ReadAllText(exitFile).Trim());
            Processes.AssertAllExited([demo, .. workers], TimeSpan.FromSeconds(5));
            Assert.Equal(0, RunToEnd("tty.db", "tty.ckpt")); // and it resumes
            Assert.Equal(Companies, Rows("tty.db").Count);
        }
        finally { Tmux("kill-session", "-t", session); }
    }

    [Fact]
    public void ASecondCtrlCSkipsTheGracePeriodAndLeavesNoWorker()
    {
        // The demo's tasks sleep without a token (3 s x 20): the first Ctrl+C would wait the 5 s grace period for them.
        using var demo = Binaries.Start(Binaries.ClusterPoolCli, ["demo", "--scale", "20", "--json"], wrapper: ["env", "--default-signal=INT"]);
        _ = demo.StandardOutput.ReadToEndAsync();
        var stderr = demo.StandardError.ReadToEndAsync();
        try
        {
            Wait.For(() => Processes.PoolWorkersOf(demo.Id).Count == 3,
                TimeSpan.FromSeconds(30), "the demo's 3 workers");
            Thread.Sleep(4000); // warmed up and running the first method
            var workers = Processes.WorkersOf(demo.Id); // spares for a next pool too
            Assert.Equal(0, kill(demo.Id, SigInt));
            Thread.Sleep(300);
            var second = Stopwatch.StartNew();
            Assert.Equal(0, kill(demo.Id, SigInt));
            Assert.True(demo.WaitForExit(TimeSpan.FromSeconds(10)));
            output.WriteLine($"exit {demo.ExitCode} {second.Elapsed.TotalSeconds:0.00} s after the second Ctrl+C");
            Assert.True(second.Elapsed < TimeSpan.FromSeconds(3.5), $"took {second.Elapsed.TotalSeconds:0.0} s: the grace period was not skipped");
            Assert.True(demo.ExitCode == 130, $"exit code {demo.ExitCode}: {stderr.Result}");
            Processes.AssertAllExited(workers, TimeSpan.FromSeconds(3));
        }
        finally { Processes.KillTree(demo); }
    }

    /// <summary>
    /// A signal while the program does its own work between calls ends it, as it would without a pool (and as Python's
    /// KeyboardInterrupt does): no call is there to throw PoolInterruptedException, so the pool stops its workers and
    /// the process ends (130 after Ctrl+C, 143 after SIGTERM). It went on with its work and exited 0.
    /// </summary>
    [Theory]
    [InlineData(SigInt, 130)]
    [InlineData(SigTerm, 143)]
    public void ASignalBetweenCallsEndsTheProgramAndItsWorkers(int signal, int exitCode)
    {
        using var app = Binaries.Start(Binaries.TestApp, ["map-then-work"], wrapper: ["env", "--default-signal=INT"]);
        var stdout = new System.Text.StringBuilder();
        app.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
        app.BeginOutputReadLine();
        var stderr = app.StandardError.ReadToEndAsync();
        try
        {
            Wait.For(() => { lock (stdout) return stdout.ToString().Contains("mapped 285"); },
                TimeSpan.FromSeconds(30), "the program's Map");
            var workers = Processes.WorkersOf(app.Id);
            Assert.Equal(0, kill(app.Id, signal));
            Assert.True(app.WaitForExit(TimeSpan.FromSeconds(10)), "the program went on after the signal");
            Assert.Equal(exitCode, app.ExitCode);
            Assert.Contains("interrupted between calls", stderr.Result);
            lock (stdout) Assert.DoesNotContain("went on", stdout.ToString());
            Processes.AssertAllExited(workers, TimeSpan.FromSeconds(5));
        }
        finally { Processes.KillTree(app); }
    }

    /// <summary>
    /// A signal during a call ends the program with the same code as between calls: 130 after Ctrl+C, 143 after
    /// SIGTERM (it exited 130 after SIGTERM too).
    /// </summary>
    [Theory]
    [InlineData(SigInt, 130)]
    [InlineData(SigTerm, 143)]
    public void ASignalDuringACallEndsTheProgramWithTheSignalsExitCode(int signal, int exitCode)
    {
        using var app = Binaries.Start(Binaries.TestApp, ["long-map"], wrapper: ["env", "--default-signal=INT"]);
        var stdout = new System.Text.StringBuilder();
        app.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
        app.BeginOutputReadLine();
        var stderr = app.StandardError.ReadToEndAsync();
        try
        {
            Wait.For(() => { lock (stdout) return stdout.ToString().Contains("mapping"); },
                TimeSpan.FromSeconds(30), "the program's Map");
            var workers = Processes.WorkersOf(app.Id);
            Thread.Sleep(300); // the Map runs
            Assert.Equal(0, kill(app.Id, signal));
            Assert.True(app.WaitForExit(TimeSpan.FromSeconds(15)), "the program went on after the signal");
            Assert.True(app.ExitCode == exitCode, $"exit code {app.ExitCode}: {stderr.Result}");
            Assert.Contains("interrupted:", stderr.Result);
            Processes.AssertAllExited(workers, TimeSpan.FromSeconds(5));
        }
        finally { Processes.KillTree(app); }
    }

    /// <summary>
    /// Ctrl+C at a pool program mid-Map: its worker hosts are told to stop, as on a normal close, and exit 0. The
    /// program's call failed as the stop began, its Main returned 130 at once, and the process ended before the hosts
    /// were told: they saw the pool vanish and exited 69 ("the pool is gone").
    /// </summary>
    [Fact]
    public void CtrlCAtAPoolProgramMidMapStopsItsWorkerHostsWithExitCodeZero()
    {
        var address = $"127.0.0.1:{LoopbackPort.Free()}";
        using var app = Binaries.Start(Binaries.TestApp, ["map-on-hosts", address],
            wrapper: ["env", "--default-signal=INT"]);
        var stdout = new System.Text.StringBuilder();
        app.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
        app.BeginOutputReadLine();
        var appErrors = app.StandardError.ReadToEndAsync();
        using var host = Binaries.Start(Binaries.Worker, ["--join", address, "--app", Binaries.TestApp]);
        var hostErrors = host.StandardError.ReadToEndAsync();
        try
        {
            Wait.For(() => { lock (stdout) return stdout.ToString().Contains("mapping"); },
                TimeSpan.FromSeconds(60), "the program's Map on the worker host");
            Thread.Sleep(500); // tasks running on the host
            Assert.Equal(0, kill(app.Id, SigInt));
            Assert.True(app.WaitForExit(TimeSpan.FromSeconds(15)), "the program did not exit after Ctrl+C");
            Assert.True(app.ExitCode == 130, $"the program exited {app.ExitCode}: {appErrors.Result}");
            Assert.True(host.WaitForExit(TimeSpan.FromSeconds(15)), "the worker host did not exit");
            output.WriteLine(hostErrors.Result);
            Assert.True(host.ExitCode == 0, $"the worker host exited {host.ExitCode}: {hostErrors.Result}");
            Assert.Contains($"exiting: the pool at {address} closed", hostErrors.Result);
        }
        finally
        {
            Processes.KillTree(app);
            Processes.KillTree(host);
        }
    }

    [Fact]
    public void SigtermAtAWorkerHostHandsItsWorkBackAtOnceNotAfterTheFailureDetector()
    {
        var port = LoopbackPort.Free();
        using var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{port}", Processes = 1, ShutdownGrace = TimeSpan.FromSeconds(1) });
        using var first = Binaries.Start(Binaries.Worker, ["--join", pool.Address, "--app", Binaries.TestsAssembly]);
        Process? second = null;
        try
        {
            _ = first.StandardOutput.ReadToEndAsync();
            var firstErrors = first.StandardError.ReadToEndAsync();
            Assert.True(pool.WaitUntilReady(TimeSpan.FromSeconds(60), slots: 1));
            var call = pool.ApplyAsync(StampedFunctions.SleepSeconds, 8); // ignores tokens: it cannot finish within the grace
            second = Binaries.Start(Binaries.Worker, ["--join", pool.Address, "--app", Binaries.TestsAssembly]);
            _ = second.StandardOutput.ReadToEndAsync();
            _ = second.StandardError.ReadToEndAsync();
            Assert.True(pool.WaitUntilReady(TimeSpan.FromSeconds(60), slots: 2), "the second host never registered");

            var signalledAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            Assert.Equal(0, kill(first.Id, SigTerm));
            Assert.True(first.WaitForExit(TimeSpan.FromSeconds(15)), "the worker host did not stop on SIGTERM");
            Assert.Equal(0, first.ExitCode);

            var result = call.Get(TimeSpan.FromSeconds(60));
            var rerunAfter = (result.StartedMs - signalledAt) / 1000.0;
            output.WriteLine($"the host's task ran again {rerunAfter:0.0} s after its SIGTERM; {pool.Statistics}");
            output.WriteLine(firstErrors.Result);
            Assert.Equal(second.Id, Processes.ParentOf(result.Pid));
            Assert.InRange(rerunAfter, 0.5, 4); // the grace (1 s), then handed back: the failure detector would take ~8 s
            Assert.Equal((0, 0), (pool.Statistics.WorkersLost, pool.Statistics.HostsUnreachable)); // handed back, not lost
        }
        finally
        {
            Processes.KillTree(first);
            if (second is not null) { Processes.KillTree(second); second.Dispose(); }
        }
    }

    private static int SampleIn(string session)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                // The program itself (argv[0] is dotnet), not the shell tmux runs it from, whose command line names it too.
                if (cmdline.Split(' ')[0].EndsWith("dotnet") && cmdline.Contains("ClusterPool.Cli.dll sample finance") && cmdline.Contains("tty.db")) return pid;
            }
            catch (IOException) { }
        }
        return 0;
    }

    private static void Tmux(params string[] args)
    {
        var info = new ProcessStartInfo("tmux") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var tmux = Process.Start(info)!;
        tmux.WaitForExit(10_000);
    }
}
