using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using ClusterPool.Workers;
using ClusterPool.Bench;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>Cluster mode: a pool that listens on an address, and worker hosts started by hand that join it.</summary>
public class ClusterModeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Starts a worker host, runs <paramref name="check"/>, and stops the host whatever happens.</summary>
    internal static void WithWorkerHost(string dll, IEnumerable<string> args, Action<System.Diagnostics.Process> check, string[]? wrapper = null)
    {
        using var worker = Binaries.Start(dll, args, wrapper);
        var stderr = worker.StandardError.ReadToEndAsync();
        try { check(worker); }
        catch (Exception e) when (worker.HasExited)
        {
            throw new Xunit.Sdk.XunitException($"the worker host exited with {worker.ExitCode}: {stderr.Result}\n{e}");
        }
        finally { Processes.KillTree(worker); }
    }

    [Fact]
    public void APoolWithAListenAddressStartsNoLocalWorkersAndUsesAJoinedHostsSlots()
    {
        var port = LoopbackPort.Free();
        using var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{port}", Processes = 2 });
        Assert.Empty(pool.LocalWorkerProcessIds);
        Assert.Equal($"127.0.0.1:{port}", pool.Address);

        // Through `clusterpool worker`, the main command's worker verb.
        WithWorkerHost(Binaries.ClusterPoolCli, ["worker", "--join", pool.Address, "--app", Binaries.TestsAssembly, "--slots", "2"], worker =>
        {
            Assert.True(pool.WaitUntilReady(Patience, slots: 2), "the worker host's two slots never registered");
            var results = pool.Map(StampedFunctions.SleepASecond, Enumerable.Range(0, 4), chunksize: 1);
            // A host started by hand supervises: the tasks run in its child process.
            Assert.Equal([worker.Id], results.Select(r => Processes.ParentOf(r.Pid)).Distinct());
            // Two slots: the four one-second tasks ran two at a time (each started with another, not after it), whatever
            // the machine's load does to the total.
            var starts = results.Select(r => r.StartedMs).Order().ToArray();
            Assert.True(starts[1] - starts[0] < 900 && starts[3] - starts[2] < 900, // one slot would start them 1 s apart
                $"not two at a time: started at +{string.Join(", +", starts.Select(s => s - starts[0]))} ms");
            // The supervisor starts its host with a worker's gen0 budget (clusterpool.worker.gc-gen0-size), as a pool
            // does its own workers: .NET's own budget takes 16-130 collections here.
            Assert.Equal(RuntimeProbe.WorkersBudget, pool.Apply(RuntimeProbe.Gen0Budget, 0));
            Assert.InRange(pool.Apply(RuntimeProbe.Gen0CollectionsFor256MiB, 0), 0,
                RuntimeProbe.MostCollectionsFor256MiB);
        });
    }

    [Fact]
    public void AWorkerHostJoinedLaterStartsPullingAtOnce()
    {
        var port = LoopbackPort.Free();
        using var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{port}", Processes = 1 });
        var pending = pool.MapAsync(TestFunctions.Square, Enumerable.Range(0, 100));
        Wait.For(() => pending.Ready || pool.Statistics.QueuedItems > 0, Patience, "the call's items to be queued");
        Assert.False(pending.Ready); // no worker yet: the call waits in the queue
        WithWorkerHost(Binaries.Worker, ["--join", pool.Address, "--app", Binaries.TestsAssembly], _ =>
            Assert.Equal(Enumerable.Range(0, 100).Select(x => x * x), pending.Get(Patience)));
    }

    [Fact]
    public void TheDemoInClusterModeRunsToTheEndOnHostsStartedAsItsHintSays()
    {
        var address = $"127.0.0.1:{LoopbackPort.Free()}";
        using var demo = Binaries.Start(Binaries.ClusterPoolCli, ["demo", "--listen", address, "--processes", "2", "--scale", "0.05", "--json"]);
        var stdout = demo.StandardOutput.ReadToEndAsync();
        var stderr = demo.StandardError.ReadToEndAsync();
        try
        {
            // The hint, as a user reads it: "start 2 worker host(s) with: clusterpool worker --join ADDRESS". No --app: the
            // tool's own hosts know the demo's functions.
            WithWorkerHost(Binaries.ClusterPoolCli, ["worker", "--join", address], first =>
                WithWorkerHost(Binaries.ClusterPoolCli, ["worker", "--join", address], second =>
                {
                    Assert.True(demo.WaitForExit(Patience), "the demo did not finish within 60 s");
                    Assert.True(demo.ExitCode == 0, $"the demo exited with {demo.ExitCode}: {stderr.Result}");
                    var methods = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                    Assert.Equal(8, methods.Length);
                    // Every task ran in a child of one of the two hosts.
                    var parents = methods.SelectMany(m => System.Text.Json.JsonDocument.Parse(m).RootElement.GetProperty("results").EnumerateArray())
                        .Select(row => row[2].GetInt32()).ToHashSet();
                    Assert.Subset(new HashSet<int> { first.Id, second.Id }, parents);
                }));
        }
        finally { Processes.KillTree(demo); }
    }

    /// <summary>
    /// A host run from an app's output that has no ReadyToRun copy of the worker (a build with
    /// <c>ClusterPoolReadyToRun=false</c>, or for a runtime identifier) starts and runs tasks. The app runs on ASP.NET
    /// Core's shared framework, so its output leaves out the Microsoft.Extensions assemblies that framework has; the host
    /// must find them there too (it failed: Microsoft.Extensions.ObjectPool not found, and said nothing).
    /// </summary>
    [Fact]
    public void AWorkerHostRunsFromAnAppsOutputWithoutItsReadyToRunCopy() => WithOutputWithoutReadyToRun(dir =>
    {
        using var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{LoopbackPort.Free()}" });
        WithWorkerHost(Path.Combine(dir, "clusterpool-worker.dll"), ["--join", pool.Address, "--app", Path.Combine(dir, Path.GetFileName(Binaries.TestsAssembly))], worker =>
        {
            Wait.For(() => pool.Slots == 1 || worker.HasExited, Patience, "the worker host to register");
            Assert.False(worker.HasExited, "the worker host exited instead of registering");
            Assert.Equal(Enumerable.Range(0, 20).Select(x => x * x), pool.Map(TestFunctions.Square, Enumerable.Range(0, 20)));
        });
    });

    /// <summary>
    /// A host that fails in a way it does not expect says why on its stderr, ending with the cause in one line (a
    /// pool quotes its workers' last lines): here a host on .NET's framework alone, as before the fix above, which
    /// cannot find an assembly the app's output left to ASP.NET Core's.
    /// </summary>
    [Fact]
    public void AWorkerHostThatFailsUnexpectedlySaysWhyInItsLastLine() => WithOutputWithoutReadyToRun(dir =>
    {
        var runtimeConfig = Path.Combine(dir, "clusterpool-worker.runtimeconfig.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(runtimeConfig))!;
        var options = json["runtimeOptions"]!.AsObject();
        options.Remove("frameworks");
        options["framework"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "Microsoft.NETCore.App", ["version"] = "10.0.0" };
        File.WriteAllText(runtimeConfig, json.ToJsonString());

        using var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{LoopbackPort.Free()}" });
        using var worker = Binaries.Start(Path.Combine(dir, "clusterpool-worker.dll"), ["--join", pool.Address, "--app", Path.Combine(dir, Path.GetFileName(Binaries.TestsAssembly))]);
        var stderr = worker.StandardError.ReadToEndAsync();
        try
        {
            Assert.True(worker.WaitForExit(Patience), "the worker host did not exit");
            Assert.Equal(1, worker.ExitCode);
            var lines = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            // The child's last line, just before its supervisor's own.
            Assert.StartsWith("clusterpool worker: the host failed: FileNotFoundException: Could not load file or assembly 'Microsoft.Extensions.", lines[^2]);
            Assert.Contains("the lines above say why", lines[^1]);
        }
        finally { Processes.KillTree(worker); }
    });

    /// <summary>Runs <paramref name="test"/> on a copy of the test's output without clusterpool-worker-r2r/, then removes it.</summary>
    private static void WithOutputWithoutReadyToRun(Action<string> test)
    {
        var dir = Directory.CreateTempSubdirectory("clusterpool-no-r2r-").FullName;
        try
        {
            // The host's own files copied (where it is decides what it starts), everything else linked.
            foreach (var file in Directory.EnumerateFiles(Binaries.Dir))
            {
                var copy = Path.Combine(dir, Path.GetFileName(file));
                if (Path.GetFileName(file).StartsWith("clusterpool-worker.")) File.Copy(file, copy);
                else File.CreateSymbolicLink(copy, file);
            }
            foreach (var folder in Directory.EnumerateDirectories(Binaries.Dir).Where(d => Path.GetFileName(d) != "clusterpool-worker-r2r"))
                Directory.CreateSymbolicLink(Path.Combine(dir, Path.GetFileName(folder)), folder);
            test(dir);
        }
        finally
        {
            // Links to folders first, on their own: the targets stay.
            foreach (var link in Directory.EnumerateDirectories(dir).Where(d => new DirectoryInfo(d).LinkTarget is not null)) Directory.Delete(link);
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// A failure the host does not expect reaches its stderr: an <c>--app</c> that is not an assembly ended the host
    /// with "the lines above say why" and no lines (what it wrote went to the console it keeps for its tasks).
    /// </summary>
    [Fact]
    public void AWorkerHostGivenAnAppThatIsNoAssemblySaysSo()
    {
        var notes = Path.Combine(Directory.CreateTempSubdirectory("clusterpool-app-").FullName, "notes.dll");
        File.WriteAllText(notes, "not an assembly");
        try
        {
            using var worker = Binaries.Start(Binaries.Worker, ["--join", $"127.0.0.1:{LoopbackPort.Free()}", "--app", notes]);
            var stderr = worker.StandardError.ReadToEndAsync();
            try
            {
                Assert.True(worker.WaitForExit(Patience), "the worker host did not exit");
                Assert.NotEqual(0, worker.ExitCode);
                Assert.Contains($"{notes} is not a .NET assembly", stderr.Result);
            }
            finally { Processes.KillTree(worker); }
        }
        finally { Directory.Delete(Path.GetDirectoryName(notes)!, recursive: true); }
    }

    /// <summary>
    /// A host started without <c>--app</c> (or with another app) cannot run the pool's functions: it is refused, saying
    /// why, and the call runs on the hosts that can, instead of failing with its first chunk.
    /// </summary>
    [Fact]
    public void AHostWithoutTheAppIsRefusedAndTheCallRunsOnTheHostsThatHaveIt()
    {
        var log = new RecordingLogger();
        using var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{LoopbackPort.Free()}", LoggerFactory = log.Factory() });
        using var lacking = Binaries.Start(Binaries.Worker, ["--join", pool.Address, "--slots", "1"]);
        var lackingErrors = lacking.StandardError.ReadToEndAsync();
        try
        {
            Assert.True(pool.WaitUntilReady(Patience, slots: 1), "the host without --app never registered");
            var pending = pool.MapAsync(TestFunctions.Square, Enumerable.Range(0, 50), chunksize: 5);
            // Its first chunk tells it that it cannot run them: it is stopped, saying why, and the call waits.
            Assert.True(lacking.WaitForExit(Patience), "the host without --app was not stopped");
            var exited = Stopwatch.StartNew();
            Assert.Equal(77, lacking.ExitCode); // refused: starting it again would not help
            Assert.Contains("the pool refused this host", lackingErrors.Result);
            Assert.Contains("start the worker with --app", lackingErrors.Result);
            Assert.False(pending.Ready, "the call ended with no host that can run it");
            WithWorkerHost(Binaries.Worker, ["--join", pool.Address, "--app", Binaries.TestsAssembly], _ =>
            {
                Assert.Equal(Enumerable.Range(0, 50).Select(x => x * x), pending.Get(Patience));
                // It left the cluster with its refusal: the failure detector, which would call it unreachable within
                // about 5 s of its exit, finds no member missing.
                Thread.Sleep(TimeSpan.FromSeconds(Math.Max(0, 7 - exited.Elapsed.TotalSeconds)));
            });
            Assert.False(log.Warnings().Any(line => line.Contains("UNREACHABLE")), string.Join("\n", log.Warnings()));
        }
        finally { Processes.KillTree(lacking); }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigStop = 19, SigCont = 18;

    /// <summary>
    /// A pool killed (kill -9) and started again at once on the same address, as a supervisor restarts it: its host
    /// joins the new pool. The new pool's port never refused a connection, so the host neither exited nor rejoined: it
    /// served nobody until the new pool ended. (The host is paused while the pool is replaced, so that the new pool
    /// surely listens before the host notices the old one is gone.)
    /// </summary>
    [Fact]
    public void AHostJoinsAPoolStartedAgainAtOnceOnTheSameAddress()
    {
        var address = $"127.0.0.1:{LoopbackPort.Free()}";
        using var first = Binaries.Start(Binaries.TestApp, ["map-on-hosts", address]); // runs a Map on the host
        _ = first.StandardOutput.ReadToEndAsync();
        _ = first.StandardError.ReadToEndAsync();
        using var host = Binaries.Start(Binaries.Worker, ["--join", address, "--app", Binaries.TestApp]);
        var said = new System.Text.StringBuilder();
        host.ErrorDataReceived += (_, e) => { lock (said) said.AppendLine(e.Data); };
        host.BeginErrorReadLine();
        _ = host.StandardOutput.ReadToEndAsync();
        string Said() { lock (said) return said.ToString(); }
        var child = 0;
        try
        {
            Wait.For(() => Said().Contains("joined the pool"), Patience, "the host to join the first pool");
            child = Processes.WorkersOf(host.Id).Single();
            Assert.Equal(0, kill(child, SigStop));
            Processes.KillTree(first); // kill -9
            using var pool = Pool.Start(new PoolOptions { ListenAddress = address });
            Assert.Equal(0, kill(child, SigCont));
            Assert.True(pool.WaitUntilReady(TimeSpan.FromSeconds(20), slots: 1),
                $"the host never joined the pool started again: {Said()}");
            // the same host, still running (its child, not it, ended with the old pool); its line comes on its own time
            Assert.False(host.HasExited, $"the host exited: {Said()}");
        }
        finally
        {
            if (child != 0) kill(child, SigCont);
            Processes.KillTree(first);
            Processes.KillTree(host);
        }
    }

    /// <summary>
    /// <c>--join</c> given a worker host's port instead of the pool's: a ClusterPool node answers there, but runs no
    /// pool. The host says so and exits 77 (starting again would not help); it retried for ever, silently.
    /// </summary>
    [Fact]
    public void AHostJoiningAWorkerHostsPortSaysItIsNoPoolAndExits()
    {
        var workerPort = LoopbackPort.Free();
        using var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{LoopbackPort.Free()}" });
        using var other = Binaries.Start(Binaries.Worker, ["--join", pool.Address, "--app", Binaries.TestsAssembly, "--port", $"{workerPort}"]);
        _ = other.StandardOutput.ReadToEndAsync();
        _ = other.StandardError.ReadToEndAsync();
        try
        {
            Assert.True(pool.WaitUntilReady(Patience, slots: 1), "the other host never joined its pool");
            using var wrong = Binaries.Start(Binaries.Worker, ["--join", $"127.0.0.1:{workerPort}", "--app", Binaries.TestsAssembly]);
            var said = wrong.StandardError.ReadToEndAsync();
            try
            {
                Assert.True(wrong.WaitForExit(TimeSpan.FromSeconds(20)), "the host at a worker's port did not exit");
                Assert.Equal(77, wrong.ExitCode);
                Assert.Contains($"what answers at 127.0.0.1:{workerPort} is a ClusterPool node but runs no pool", said.Result);
            }
            finally { Processes.KillTree(wrong); }
        }
        finally { Processes.KillTree(other); }
    }

    /// <summary>
    /// <c>--join</c> given a port that accepts connections but never answers (a program that reads nothing, a port
    /// forwarded to nowhere): the host says that nothing there answered as a pool, how long it waited and what to check,
    /// and exits 77. It retried for ever, silently: its TLS check timed out as a busy pool's might.
    /// </summary>
    [Fact]
    public void AHostJoiningAPortWhereNothingAnswersSaysSoAndExits()
    {
        using var silent = new SilentListener();
        var config = WorkerConfig("clusterpool.worker.join-answer-timeout = 2s");
        using var host = Binaries.Start(Binaries.Worker, ["--join", $"127.0.0.1:{silent.Port}", "--app", Binaries.TestsAssembly, "--config", config]);
        var said = host.StandardError.ReadToEndAsync();
        try
        {
            Assert.True(host.WaitForExit(TimeSpan.FromSeconds(20)), "the host at a port where nothing answers did not exit");
            Assert.True(host.ExitCode == 77, $"exit code {host.ExitCode}: {said.Result}");
            Assert.Contains($"cannot join: nothing at 127.0.0.1:{silent.Port} answered as a ClusterPool coordinator", said.Result);
            Assert.Contains("no answer to this host's handshake came in 2 s (clusterpool.worker.join-answer-timeout)", said.Result);
            Assert.Contains("Check that --join is the pool's address", said.Result);
        }
        finally
        {
            Processes.KillTree(host);
            File.Delete(config);
        }
    }

    /// <summary>
    /// A real pool that does not answer for a while (here its process is stopped, as a busy machine or a debugger
    /// stops it) is not taken for a port where nothing answers: the host joins it once it answers, within
    /// <c>join-answer-timeout</c>.
    /// </summary>
    [Fact]
    public void AHostJoinsAPoolThatAnswersLate()
    {
        var address = $"127.0.0.1:{LoopbackPort.Free()}";
        using var pool = Binaries.Start(Binaries.TestApp, ["wait-for-hosts", address]); // ends once a host joined
        var poolSaid = new System.Text.StringBuilder();
        pool.OutputDataReceived += (_, e) => { lock (poolSaid) poolSaid.AppendLine(e.Data); };
        pool.BeginOutputReadLine();
        _ = pool.StandardError.ReadToEndAsync();
        string PoolSaid() { lock (poolSaid) return poolSaid.ToString(); }
        var config = WorkerConfig("clusterpool.worker.join-answer-timeout = 5s");
        Process? host = null;
        try
        {
            Wait.For(() => PoolSaid().Contains("waiting") || pool.HasExited, Patience, "the pool to listen");
            Assert.Equal(0, kill(pool.Id, SigStop));
            host = Binaries.Start(Binaries.Worker, ["--join", address, "--app", Binaries.TestsAssembly, "--config", config]);
            var said = host.StandardError.ReadToEndAsync();
            Thread.Sleep(TimeSpan.FromSeconds(3)); // the host connects, and nothing answers yet
            Assert.Equal(0, kill(pool.Id, SigCont));
            Wait.For(() => PoolSaid().Contains("ready: True") || pool.HasExited, Patience, "the host to join the pool");
            Assert.True(host.WaitForExit(TimeSpan.FromSeconds(30)), "the host did not exit after its pool closed");
            Assert.True(host.ExitCode == 0, $"exit code {host.ExitCode}: {said.Result}");
            Assert.Contains("joined the pool", said.Result);
        }
        finally
        {
            kill(pool.Id, SigCont);
            Processes.KillTree(pool);
            if (host is not null) Processes.KillTree(host);
            host?.Dispose();
            File.Delete(config);
        }
    }

    /// <summary>A <c>--config</c> file for a worker host, holding <paramref name="hocon"/>.</summary>
    private static string WorkerConfig(string hocon)
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, hocon);
        return file;
    }

    /// <summary>A loopback port that accepts connections and never reads or writes a byte.</summary>
    private sealed class SilentListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<TcpClient> _accepted = [];
        private readonly Task _accepting;

        public SilentListener()
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _accepting = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        var client = await _listener.AcceptTcpClientAsync();
                        lock (_accepted) _accepted.Add(client);
                    }
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
            });
        }

        public int Port { get; }

        public void Dispose()
        {
            _listener.Stop();
            _accepting.Wait(TimeSpan.FromSeconds(5));
            lock (_accepted) foreach (var client in _accepted) client.Dispose();
        }
    }

    [Fact]
    public void AWorkerWithABadJoinAddressExitsWithCodeTwo()
    {
        using var worker = Binaries.Start(Binaries.Worker, ["--join", "nowhere"]);
        var stderr = worker.StandardError.ReadToEndAsync();
        Assert.True(worker.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, worker.ExitCode);
        Assert.Contains("--join must be HOST:PORT", stderr.Result);
    }
}
