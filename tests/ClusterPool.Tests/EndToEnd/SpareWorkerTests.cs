using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Lifecycle;
using ClusterPool.Tests.Unit;
using ClusterPool.Workers;
using Xunit;
using Xunit.Abstractions;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// Spare worker processes (<see cref="SpareWorkers"/>): a program's next pool adopts the ones started ahead for it,
/// and they are clean (nothing of an earlier pool ran in them); a pool started otherwise does not take them; unadopted
/// ones stop after their keep-for; none outlives its program, however it ends.
/// </summary>
public class SpareWorkerTests(ITestOutputHelper output)
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigKill = 9;

    /// <summary>
    /// Spares start whatever else runs: by default they wait for the machine's cores to be mostly idle, which they
    /// were not while the suite's publishing tests compiled beside these (no spare within 30 s, three of these tests
    /// failed in one run). What they test is adoption, keeping and stopping; <see cref="IdleCpuWatchTests"/> tests
    /// the waiting.
    /// </summary>
    private const string AtOnce = "clusterpool.local-workers.spares.idle-below = 1";

    /// <summary>The same, for a program these tests start.</summary>
    private static readonly Dictionary<string, string> AtOnceForAProgram = new() { [PoolConfig.EnvironmentVariable] = AtOnce };

    [Fact]
    public void TheNextPoolAdoptsSparesInWhichNothingOfTheEarlierPoolRan()
    {
        var earlier = new HashSet<int>();
        using (var first = Pool.Start(new PoolOptions { Processes = 2, Initializer = new Action<string>(TestFunctions.Initialize), InitArgs = ["first pool"], Config = AtOnce }))
        {
            earlier.UnionWith(first.Map(TestFunctions.SetMarker, Enumerable.Repeat("a task of the first pool", 20).ToList(), chunksize: 1));
            earlier.UnionWith(first.LocalWorkerProcessIds);
            WaitForSpares(first, 2); // started while the pool idles
        }

        using var next = Pool.Start(new PoolOptions { Processes = 2, Config = AtOnce });
        var seen = next.Map(TestFunctions.ReadMarker, Enumerable.Range(0, 20), chunksize: 1);
        Assert.Equal(2, next.AdoptedSpares);
        Assert.All(seen, s =>
        {
            Assert.DoesNotContain(s.Pid, earlier);
            Assert.Null(s.Marker); // neither the first pool's tasks nor its initializer ran here
            Assert.Equal(0, s.Initializations);
        });
    }

    /// <summary>
    /// A spare loads the program's assembly while it waits, as a first task would (none of its code runs there: see
    /// the test above): the file is among its mapped ones.
    /// </summary>
    [Fact]
    public void ASpareLoadsTheProgramsAssemblyWhileItWaits()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 1, Config = AtOnce });
        Assert.Equal([1], pool.Map(TestFunctions.Square, [1]));
        var spare = WaitForSpares(pool, 1)[0];
        var program = System.Reflection.Assembly.GetEntryAssembly()!.Location;
        Wait.For(() => File.ReadAllText($"/proc/{spare}/maps").Contains(program), TimeSpan.FromSeconds(10),
            $"spare {spare} to load {program}");
    }

    /// <summary>
    /// The next pool talks on the actor system of the last one (<see cref="KeptActorSystems"/>), at the same address,
    /// with its spares already connected to it, but through a coordinator of its own: its counters start at zero, and a
    /// value the last pool shared is not served to it.
    /// </summary>
    [Fact]
    public void TheNextPoolTalksOnTheLastOnesActorSystemThroughACoordinatorOfItsOwn()
    {
        // A configuration of this test's own: no pool of another test adopts the system this one keeps.
        var options = new PoolOptions { Processes = 2, Config = AtOnce + "\nclusterpool.max-retries = 4" };
        string address;
        using (var first = Pool.Start(options))
        {
            Assert.False(first.AdoptedActorSystem);
            Assert.Equal([1, 4, 9], first.Map(TestFunctions.Square, [1, 2, 3]));
            address = first.Address;
            WaitForSpares(first, 2);
        }

        using var next = Pool.Start(options);
        Assert.True(next.AdoptedActorSystem, "the next pool started an actor system of its own");
        Assert.Equal(address, next.Address);
        Assert.Equal([16, 25], next.Map(TestFunctions.Square, [4, 5]));
        Assert.Equal(2, next.AdoptedSpares);
        Assert.Equal(2, next.Statistics.ItemsDone);
    }

    /// <summary>A kept actor system is terminated after keep-for, like the spares: its port is free again.</summary>
    [Fact]
    public void AKeptActorSystemLetsGoOfItsPortAfterKeepFor()
    {
        string address;
        using (var pool = Pool.Start(new PoolOptions { Processes = 1, Config = AtOnce + "\nclusterpool.local-workers.spares.keep-for = 1s\nclusterpool.max-retries = 5" }))
        {
            Assert.Equal([1, 4], pool.Map(TestFunctions.Square, [1, 2]));
            address = pool.Address;
        }
        var port = int.Parse(address.Split(':')[1]);
        Wait.For(() => CanListenOn(port), TimeSpan.FromSeconds(10), $"the kept actor system to let go of {address}");
    }

    /// <summary>
    /// A start that fails after it adopted a kept actor system (here: InitArgs too big for a message) ends that system:
    /// it was the start's, and no longer waits for its keep-for to end.
    /// </summary>
    [Fact]
    public void AStartThatFailsEndsTheActorSystemItAdopted()
    {
        // Kept a minute, without spares: only the failed start can free the port within the wait below.
        var config = "clusterpool.local-workers.spares.keep-for = 60s\nclusterpool.local-workers.spares.most = 0\nclusterpool.max-retries = 6";
        string address;
        using (var pool = Pool.Start(new PoolOptions { Processes = 1, Config = config }))
        {
            Assert.Equal([1, 4], pool.Map(TestFunctions.Square, [1, 2]));
            address = pool.Address;
        }
        Assert.Throws<PayloadTooLargeException>(() => Pool.Start(new PoolOptions
        {
            Processes = 1, Config = config, Initializer = new Action<byte[]>(TestFunctions.LoadTable), InitArgs = [new byte[9_000_000]],
        }));
        var port = int.Parse(address.Split(':')[1]);
        Wait.For(() => CanListenOn(port), TimeSpan.FromSeconds(10), $"the failed start to end the actor system at {address}");
    }

    private static bool CanListenOn(int port)
    {
        try
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException) { return false; }
    }

    [Fact]
    public void APoolThatStartsItsWorkersOtherwiseStartsItsOwn()
    {
        using (var first = Pool.Start(new PoolOptions { Processes = 2, Config = AtOnce }))
        {
            first.Map(TestFunctions.Square, [1, 2, 3]);
            WaitForSpares(first, 2);
        }

        using (var twoSlots = Pool.Start(new PoolOptions { Processes = 2, SlotsPerProcess = 2, Config = AtOnce }))
        {
            Assert.Equal([1, 4], twoSlots.Map(TestFunctions.Square, [1, 2]));
            Assert.Equal(0, twoSlots.AdoptedSpares);
        }
        using var otherSettings = Pool.Start(new PoolOptions { Processes = 2, Config = AtOnce + "\nclusterpool.send-results-every = 150ms" });
        Assert.Equal([1, 4], otherSettings.Map(TestFunctions.Square, [1, 2]));
        Assert.Equal(0, otherSettings.AdoptedSpares);
    }

    [Fact]
    public void UnadoptedSparesStopAfterTheirKeepFor()
    {
        IReadOnlyList<int> left;
        using (var pool = Pool.Start(new PoolOptions { Processes = 2, Config = AtOnce + "\nclusterpool.local-workers.spares.keep-for = 1s" }))
        {
            pool.Map(TestFunctions.Square, [1, 2, 3]);
            left = WaitForSpares(pool, 2);
        }
        Assert.All(left, pid => Assert.True(Processes.IsRunning(pid)));
        Processes.AssertAllExited(left, within: TimeSpan.FromSeconds(8));
        Assert.Empty(SpareWorkers.Shared.ProcessIds.Intersect(left));
    }

    /// <summary>
    /// The seed's script makes eight pools in a row (the bench's seed_demo suite at the demo's own scale, tasks of 3, 2
    /// and 1 s): pools 2-8 adopt spares, and when the program ends no worker process of it is left. (At half that scale,
    /// pools of 1.5 s, whether a pool's spares were launched before it ended was a matter of a few hundred milliseconds:
    /// 12-18 of 21 adopted on a quiet machine; 21 of 21 at this scale.)
    /// </summary>
    [Fact]
    public async Task EightPoolsInARowAdoptSparesAndLeaveNoProcess()
    {
        using var bench = Binaries.Start(Binaries.ClusterPoolCli, ["bench", "--suite", "seed_demo", "--scale", "1", "--no-python", "--json"],
            environment: AtOnceForAProgram);
        var stderr = bench.StandardError.ReadToEndAsync();
        var seen = new HashSet<int>();
        var watching = WatchWorkers(bench.Id, seen);
        string stdout;
        try
        {
            stdout = await bench.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromMinutes(3));
            await bench.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            Processes.KillTree(bench);
        }
        await watching;
        Assert.True(bench.ExitCode == 0, $"exit code {bench.ExitCode}: {await stderr}");
        var adopted = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => line.StartsWith('{')).Select(line => JsonDocument.Parse(line).RootElement)
            .Single(f => f.GetProperty("case").GetString() == "all" && f.GetProperty("metric").GetString() == "spares_adopted");
        output.WriteLine(adopted.ToString());
        // Spares start once a pool idles (here, ~0.5 s into its 3-6 s of sleeping tasks): most of the later pools' workers are spares.
        Assert.True(adopted.GetProperty("clusterpool").GetDouble() >= 3 * 5, $"pools 2-8 adopted {adopted.GetProperty("clusterpool")} of their 21 workers");
        Processes.AssertAllExited(seen);
    }

    /// <summary>Killed with kill -9 while spares wait, a program leaves none: their stdin pipe from it closes.</summary>
    [Fact]
    public async Task AProgramKilledWhileSparesWaitLeavesNoProcess()
    {
        using var bench = Binaries.Start(Binaries.ClusterPoolCli, ["bench", "--suite", "seed_demo", "--scale", "2", "--no-python", "--json"],
            environment: AtOnceForAProgram);
        _ = bench.StandardOutput.ReadToEndAsync();
        _ = bench.StandardError.ReadToEndAsync();
        var seen = new HashSet<int>();
        try
        {
            Wait.For(() => Spares(bench.Id).Count > 0 || bench.HasExited,
                TimeSpan.FromSeconds(60), "a spare worker process");
            Assert.True(Spares(bench.Id).Count > 0, "the program exited before a spare worker process started");
            await Task.Delay(1000);
            seen.UnionWith(Processes.WorkersOf(bench.Id));
            output.WriteLine($"workers [{string.Join(", ", seen)}], of which spares [{string.Join(", ", Spares(bench.Id))}]");
            Assert.Equal(0, kill(bench.Id, SigKill));
            await bench.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            Processes.KillTree(bench);
        }
        Processes.AssertAllExited(seen);
    }

    /// <summary>
    /// Waits until <paramref name="count"/> spares that a pool like <paramref name="pool"/> would adopt wait in this
    /// process; returns them. Counted by that key, not as "new since the test began": spares an earlier test left (a
    /// pool of 3 leaves 3) are adopted by this test's pool or count toward the next one's, and fewer new ones start.
    /// </summary>
    private static IReadOnlyList<int> WaitForSpares(Pool pool, int count)
    {
        try
        {
            return Wait.For(() => pool.SparesForAPoolLikeThis, spares => spares.Count >= count,
                TimeSpan.FromSeconds(30), $"{count} spares to start after the pool went idle");
        }
        catch (Xunit.Sdk.XunitException e)
        {
            // Should spares wait for idle cores after all: say what kept them busy.
            throw new Xunit.Sdk.XunitException($"{e.Message}\nthe busiest processes then:\n{BusiestProcesses()}");
        }
    }

    /// <summary>`top`'s second sample (the first counts from each process's start): its header and busiest lines.</summary>
    private static string BusiestProcesses()
    {
        try
        {
            using var top = Process.Start(new ProcessStartInfo("top", "-b -c -n 2 -d 1 -o %CPU -w 180")
            {
                RedirectStandardOutput = true,
            })!;
            var lines = top.StandardOutput.ReadToEnd().Split('\n');
            top.WaitForExit();
            var second = Array.FindLastIndex(lines, l => l.StartsWith("top -", StringComparison.Ordinal));
            return string.Join('\n', lines.Skip(Math.Max(second, 0)).Take(16));
        }
        catch (Exception e) { return $"(top did not run: {e.Message})"; }
    }

    /// <summary>The worker processes of <paramref name="parentPid"/> started as spares (some may have been adopted since).</summary>
    private static List<int> Spares(int parentPid) =>
        [.. Processes.WorkersOf(parentPid).Where(pid => Cmdline(pid).Contains(" --spare"))];

    private static string Cmdline(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return ""; }
    }

    /// <summary>Collects the worker pids of <paramref name="parentPid"/> until it has exited.</summary>
    private static async Task WatchWorkers(int parentPid, HashSet<int> seen)
    {
        while (Processes.IsRunning(parentPid))
        {
            seen.UnionWith(Processes.WorkersOf(parentPid));
            await Task.Delay(50);
        }
    }
}
