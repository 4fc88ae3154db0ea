using System.Collections.Concurrent;
using System.Diagnostics;
using ClusterPool.Workers;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>Functions that write to the console of the worker process that runs them.</summary>
public static class PrintingFunctions
{
    public static int Print(int x)
    {
        Console.WriteLine($"item {x} says hello");
        Console.Error.WriteLine($"item {x} complains");
        Console.Write($"item {x} in ");
        Console.WriteLine("two parts");
        return x;
    }

    /// <summary>Writes a dot, with no newline after it.</summary>
    public static int Dot(int x)
    {
        Console.Write(".");
        return x;
    }

    /// <summary>Has a thread of its own write "from a thread of item x" with no newline after it.</summary>
    public static int PartialLineOnAThread(int x)
    {
        var thread = new Thread(() => Console.Write($"from a thread of item {x}"));
        thread.Start();
        thread.Join();
        return x;
    }

    /// <summary>Says a line, then works on for <paramref name="ms"/> milliseconds before it returns.</summary>
    public static int PrintThenWork(int ms)
    {
        Console.WriteLine("started, working on");
        Thread.Sleep(ms);
        return ms;
    }

    /// <summary>
    /// Says "line i" for each i below <paramref name="lines"/>, and after each waits until the caller creates the file
    /// "gate-i" in <paramref name="gates"/>: the caller decides when the next line is written, not a clock.
    /// </summary>
    public static int PrintAtEachGate(string gates, int lines)
    {
        for (var i = 0; i < lines; i++)
        {
            Console.WriteLine($"line {i}");
            var gate = Path.Combine(gates, $"gate-{i}");
            var waited = Stopwatch.StartNew();
            while (!File.Exists(gate))
            {
                if (waited.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"{gate} never came");
                Thread.Sleep(20);
            }
        }
        return lines;
    }
}

/// <summary>
/// A task's console output comes home tagged <c>[host:pid]</c>, in embedded and cluster mode; a normal run logs no
/// warning; a worker host started by hand says once that it joined and why it exits.
/// </summary>
public class OutputAndLogTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void ATasksConsoleLinesReachTheCallbackTaggedWithItsWorkerBeforeItsResult()
    {
        var lines = new ConcurrentQueue<TaskOutputLine>();
        var log = new RecordingLogger();
        int[] results;
        int[] workers;
        using (var pool = Pool.Start(new PoolOptions { Processes = 2, OnTaskOutput = lines.Enqueue, LoggerFactory = log.Factory() }))
        {
            results = [.. pool.Map(PrintingFunctions.Print, Enumerable.Range(0, 6), chunksize: 1)];
            workers = [.. pool.LocalWorkerProcessIds];
            // Each task's lines were sent before its result: by the time Map returns they are here (give the printer a moment).
            Wait.For(() => lines.Count >= 18);
            pool.Close();
            pool.Join();
        }

        Assert.Equal([0, 1, 2, 3, 4, 5], results);
        var all = lines.ToList();
        Assert.Equal(18, all.Count);
        Assert.All(all, line => Assert.Equal(Environment.MachineName, line.Host));
        Assert.All(all, line => Assert.Contains(line.Pid, workers));
        for (var x = 0; x < 6; x++)
        {
            var mine = all.Where(l => l.Text.StartsWith($"item {x} ")).ToList();
            Assert.Equal([$"item {x} says hello", $"item {x} in two parts"], mine.Where(l => !l.IsError).Select(l => l.Text));
            Assert.Equal([$"item {x} complains"], mine.Where(l => l.IsError).Select(l => l.Text));
            Assert.Single(mine.Select(l => l.Pid).Distinct()); // one task, one worker
        }
        Assert.Equal($"[{Environment.MachineName}:{all[0].Pid}] {all[0].Text}", all[0].ToString());
        Assert.True(log.Warnings().Count == 0, string.Join("\n", log.Warnings())); // a normal run, Close and Join: no warning
    }

    /// <summary>
    /// Text a task writes with no newline after it comes when the task ends, before its result; text another thread
    /// left without a newline comes when the worker stops. Both were lost: partial lines went only with a newline.
    /// </summary>
    [Fact]
    public void TextWithoutANewlineComesWhenItsTaskEndsOrItsWorkerStops()
    {
        var lines = new ConcurrentQueue<TaskOutputLine>();
        using (var pool = Pool.Start(new PoolOptions { Processes = 1, OnTaskOutput = lines.Enqueue }))
        {
            Assert.Equal(Enumerable.Range(0, 10), pool.Map(PrintingFunctions.Dot, Enumerable.Range(0, 10), chunksize: 1));
            // Each task's dot was sent before its result: by the time Map returns they are here (give the printer a moment).
            Wait.For(() => lines.Count >= 10, TimeSpan.FromSeconds(10), "the tasks' dots");
            Assert.All(lines, line => Assert.Equal(".", line.Text));
            Assert.Equal(3, pool.Apply(PrintingFunctions.PartialLineOnAThread, 3));
            pool.Close();
            pool.Join();
        }
        Assert.Contains("from a thread of item 3", lines.Select(line => line.Text));
        Assert.Equal(11, lines.Count);
    }

    /// <summary>
    /// A task's lines arrive while it still runs (within the worker's send interval), not with its result: the first
    /// line of a worker that idled before, and each of the lines that follow it (each written only once the one before
    /// arrived, so no slow moment of the machine can pass for lines held until the result).
    /// </summary>
    [Fact]
    public void ALongTasksLinesArriveWhileItStillRuns()
    {
        var lines = new ConcurrentQueue<(string Text, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        using var pool = Pool.Start(new PoolOptions { Processes = 2, OnTaskOutput = line => lines.Enqueue((line.Text, clock.Elapsed)) });
        Assert.True(pool.WaitUntilReady(Patience));
        Thread.Sleep(500); // idle a while first
        var started = clock.Elapsed;
        var work = pool.ApplyAsync(PrintingFunctions.PrintThenWork, 20_000);
        Wait.For(() => !lines.IsEmpty);
        Assert.False(work.Ready, "the line came only with the result");
        Assert.Equal("started, working on", Assert.Single(lines).Text);
        Assert.True(Assert.Single(lines).At - started < TimeSpan.FromSeconds(5), $"the line took {Assert.Single(lines).At - started} to arrive");

        // Each later line is written only once the one before it has arrived here, and the task then waits for this
        // test: a line that arrives at all arrived while its task still ran, however slow the machine.
        var gates = Directory.CreateTempSubdirectory("clusterpool-gates-");
        try
        {
            var gated = pool.ApplyAsync(PrintingFunctions.PrintAtEachGate, gates.FullName, 3);
            for (var i = 0; i < 3; i++)
            {
                Wait.For(() => lines.Any(l => l.Text == $"line {i}"));
                Assert.False(gated.Ready, $"line {i} came only with the result");
                File.Create(Path.Combine(gates.FullName, $"gate-{i}")).Dispose();
            }
            Assert.Equal(3, gated.Get(Patience));
            Assert.Equal(["line 0", "line 1", "line 2"], lines.Where(l => l.Text.StartsWith("line")).Select(l => l.Text));
        }
        finally
        {
            gates.Delete(recursive: true);
        }
        pool.Terminate();
    }

    [Fact]
    public void ByDefaultTheLinesArePrintedOnThisProcesssStdoutAndStderrAndCanBeTurnedOff()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var (originalOut, originalError) = (Console.Out, Console.Error);
        Console.SetOut(TextWriter.Synchronized(stdout));
        Console.SetError(TextWriter.Synchronized(stderr));
        try
        {
            using (var pool = Pool.Start(new PoolOptions { Processes = 1 }))
            {
                pool.Map(PrintingFunctions.Print, [7], chunksize: 1);
                Wait.For(() => stdout.ToString().Contains("two parts"));
            }
            using (var quiet = Pool.Start(new PoolOptions { Processes = 1, ForwardTaskOutput = false }))
                quiet.Map(PrintingFunctions.Print, [8], chunksize: 1);
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
        var tag = $"[{Environment.MachineName}:";
        Assert.Contains(stdout.ToString().Split('\n'), l => l.StartsWith(tag) && l.EndsWith("] item 7 says hello"));
        Assert.Contains(stderr.ToString().Split('\n'), l => l.StartsWith(tag) && l.EndsWith("] item 7 complains"));
        Assert.DoesNotContain("item 8", stdout.ToString() + stderr.ToString()); // turned off: dropped
        Assert.DoesNotContain("says hello", stderr.ToString());
    }

    [Fact]
    public void InClusterModeTheLinesComeFromTheHostsAndTheHostSaysOnceThatItJoinedAndWhyItExits()
    {
        var lines = new ConcurrentQueue<TaskOutputLine>();
        var log = new RecordingLogger();
        var port = LoopbackPort.Free();
        var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{port}", Processes = 1, OnTaskOutput = lines.Enqueue, LoggerFactory = log.Factory() });
        using var worker = Binaries.Start(Binaries.ClusterPoolCli, ["worker", "--join", pool.Address, "--app", Binaries.TestsAssembly]);
        var workerOut = worker.StandardOutput.ReadToEndAsync();
        var workerErr = worker.StandardError.ReadToEndAsync();
        try
        {
            Assert.True(pool.WaitUntilReady(Patience), "the worker host never joined");
            pool.Map(PrintingFunctions.Print, [1, 2], chunksize: 1);
            Wait.For(() => lines.Count >= 6);
            pool.Close();
            pool.Join();
            pool.Dispose();
            Assert.True(worker.WaitForExit(TimeSpan.FromSeconds(30)), "the worker host did not exit after the pool closed");
        }
        finally
        {
            pool.Dispose();
            Processes.KillTree(worker);
        }

        Assert.Equal(6, lines.Count);
        Assert.All(lines, line => Assert.NotEqual(Environment.ProcessId, line.Pid));
        Assert.Equal("", workerOut.Result); // the tasks' lines went to the pool, nothing to the host's own stdout
        var said = workerErr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, said.Length); // joined, exiting: nothing else (no Akka warning on an ordinary leave)
        Assert.StartsWith($"clusterpool worker: joined the pool at {pool.Address} with 1 slot(s)", said[0]);
        Assert.Equal($"clusterpool worker: exiting: the pool at {pool.Address} closed", said[1]);
        Assert.Equal(0, worker.ExitCode);
        Assert.True(log.Warnings().Count == 0, string.Join("\n", log.Warnings()));
    }

    [Fact]
    public void AHostStartedBeforeItsPoolSaysOnceThatItWaitsThenJoins()
    {
        var port = LoopbackPort.Free();
        using var worker = Binaries.Start(Binaries.Worker, ["--join", $"127.0.0.1:{port}", "--app", Binaries.TestsAssembly]);
        var workerErr = worker.StandardError.ReadToEndAsync();
        try
        {
            Thread.Sleep(TimeSpan.FromSeconds(4)); // a few of its retries
            using (var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{port}", Processes = 1 }))
            {
                Assert.True(pool.WaitUntilReady(Patience), "the waiting host never joined");
                Assert.Equal(9, pool.Apply(TestFunctions.Square, 3));
            }
            Assert.True(worker.WaitForExit(TimeSpan.FromSeconds(30)), "the worker host did not exit after the pool closed");
        }
        finally { Processes.KillTree(worker); }
        var said = workerErr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(said.Length == 3, string.Join("\n", said)); // waiting, joined, exiting: no Akka line per retry
        Assert.StartsWith($"clusterpool worker: waiting for the pool at 127.0.0.1:{port}: nothing listens there yet", said[0]);
        Assert.StartsWith("clusterpool worker: joined the pool", said[1]);
        Assert.StartsWith("clusterpool worker: exiting: the pool", said[2]);
    }

    [Fact]
    public void AHostThatLeavesOnSigtermMidRunLogsNoWarningOnEitherSide()
    {
        var log = new RecordingLogger();
        var port = LoopbackPort.Free();
        using var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{port}", Processes = 2, LoggerFactory = log.Factory() });
        using var staying = Binaries.Start(Binaries.Worker, ["--join", pool.Address, "--app", Binaries.TestsAssembly]);
        using var leaving = Binaries.Start(Binaries.Worker, ["--join", pool.Address, "--app", Binaries.TestsAssembly]);
        var leavingErr = leaving.StandardError.ReadToEndAsync();
        try
        {
            Assert.True(pool.WaitUntilReady(Patience, slots: 2), "the worker hosts never joined");
            var pending = pool.MapAsync(TestFunctions.Sleep, Enumerable.Repeat(0.2, 20), chunksize: 1);
            Thread.Sleep(500);
            Process.Start("kill", ["-TERM", leaving.Id.ToString()])!.WaitForExit();
            Assert.Equal(20, pending.Get(Patience).Count);
            Assert.True(leaving.WaitForExit(TimeSpan.FromSeconds(30)), "the host did not leave after SIGTERM");
        }
        finally
        {
            Processes.KillTree(leaving);
            Processes.KillTree(staying);
        }
        var said = leavingErr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(said.Length == 2 && said[1] == "clusterpool worker: exiting: stopped by SIGTERM", string.Join("\n", said));
        Assert.True(log.Warnings().Count == 0, string.Join("\n", log.Warnings()));
    }
}
