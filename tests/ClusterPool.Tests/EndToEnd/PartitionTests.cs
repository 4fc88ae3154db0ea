using ClusterPool.Workers;
using System.Diagnostics;
using ClusterPool.Bench;
using Xunit;
using Xunit.Abstractions;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// Network faults between real processes: worker hosts on another "machine" (a network namespace) cut off and healed,
/// and a machine whose cores are all busy, which must not be taken for dead.
/// </summary>
public class PartitionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private Process Drained(Process process) => Processes.Drained(process, output);

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [NetnsFact]
    public void HostsCutOffFor30SecondsHaveTheirChunksRerunTheCoordinatorKeepsTheClusterAndTheHostsRejoin()
    {
        var other = new NetworkNamespace();
        var hosts = new List<Process>();
        try
        {
            // The coordinator's side: itself and one local worker (2 nodes). The other side: 3 worker hosts (3 nodes),
            // a majority, which Akka's default keep-majority would keep, downing the coordinator.
            var port = LoopbackPort.Free();
            // The namespaces are a network of this test's own: plain text is what is tested here (TLS: NetworkNamespaceTests).
            using var pool = Pool.Start(new PoolOptions { ListenAddress = $"{other.HostAddress}:{port}", Processes = 4, LocalWorkers = 1, InsecurePlaintextOnTrustedNetwork = true });
            for (var i = 0; i < 3; i++)
                hosts.Add(Drained(Binaries.Start(Binaries.Worker, ["--join", pool.Address, "--app", Binaries.TestsAssembly], other.Exec)));
            Assert.True(pool.WaitUntilReady(Patience, slots: 4), $"only {pool.Slots} of 4 slots registered");
            var remote = hosts.Select(h => h.Id).ToHashSet();

            var results = new List<(int X, int Pid, long StartedMs)>();
            var run = Task.Run(() =>
            {
                foreach (var r in pool.IMapUnordered(StampedFunctions.SleepASecond, Enumerable.Range(0, 16)))
                    lock (results) results.Add(r);
            });
            // Every slot holds an item (none can end within the second it takes): what the far side holds is lost.
            Wait.For(() => pool.Statistics.BusySlots == 4, Patience, "every slot to hold an item");
            var cutAt = Now();
            other.Cut();

            Wait.For(() => pool.Statistics.HostsUnreachable >= 3, TimeSpan.FromSeconds(30),
                "the cut-off hosts to be noticed");
            var detectedAt = Now();
            var detected = (detectedAt - cutAt) / 1000.0;
            output.WriteLine($"cut-off hosts unreachable and their chunks re-queued after {detected:0.0} s");
            Assert.True(detected <= 12, $"noticing the cut took {detected:0.0} s (target 10 s)");

            Assert.True(run.Wait(Patience), "the call did not finish on the coordinator's side");
            Assert.Equal(Enumerable.Range(0, 16), results.Select(r => r.X).Order()); // every result once: none lost, none twice
            var statistics = pool.Statistics;
            output.WriteLine($"{statistics}");
            Assert.True(statistics.ChunksRequeued >= 3 && statistics.ItemsRerun >= 3, $"{statistics}");

            // No result came from the far side (its items were still running at the cut): the coordinator's one worker
            // ran all 16, one after another, and took them from the queue in input order. So an item it started after
            // one of a higher index had been handed to another slot before: it is a re-run of a cut-off host's item.
            var timeline = results.OrderBy(r => r.StartedMs).ToList();
            Assert.Contains(Assert.Single(timeline.Select(r => r.Pid).Distinct()), pool.LocalWorkerProcessIds);
            var reruns = timeline.Where((r, i) => timeline.Take(i).Any(before => before.X > r.X)).ToList();
            var shown = string.Join(", ", timeline.Select(r => $"{r.X}@{r.StartedMs - cutAt:+0;-0}ms"));
            output.WriteLine($"started (ms after the cut): {shown}");
            output.WriteLine($"re-runs: {string.Join(", ", reruns.Select(r => r.X))}");
            Assert.True(reruns.Count >= 3, $"fewer than the 3 cut-off hosts' items ran again here: {shown}");
            // The re-queued chunks go to the front of the queue: after the detection the worker starts at most the item
            // it already held (prefetched) before a re-run.
            var afterDetection = timeline.Where(r => r.StartedMs >= detectedAt).ToList();
            var firstRerun = afterDetection.FindIndex(reruns.Contains);
            Assert.True(firstRerun is 0 or 1,
                $"after the detection (+{detectedAt - cutAt} ms) the first re-run was start {firstRerun}: {shown}");
            var rerunAt = (afterDetection[firstRerun].StartedMs - cutAt) / 1000.0;
            output.WriteLine($"the first lost chunk ran again {rerunAt:0.0} s after the cut");

            // The coordinator's side kept the cluster though it is the minority: it still runs calls.
            Assert.Equal([1, 4, 9], pool.Map(TestFunctions.Square, [1, 2, 3]));
            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Max(0, cutAt + 30_000 - Now())));
            Assert.Equal(1, pool.Slots); // the cut-off hosts were downed
            Assert.All(hosts, h => Assert.False(h.HasExited, "a supervisor gave up during the cut"));

            other.Heal();
            var healedAt = Stopwatch.StartNew();
            Assert.True(pool.WaitUntilReady(Patience, slots: 4), $"after the heal only {pool.Slots} of 4 slots came back");
            output.WriteLine($"hosts rejoined {healedAt.Elapsed.TotalSeconds:0.0} s after the link came back");
            var after = pool.Map(StampedFunctions.SleepASecond, Enumerable.Range(0, 8), chunksize: 1);
            Assert.Contains(after, r => remote.Contains(Processes.ParentOf(r.Pid))); // the rejoined hosts pull work again
        }
        finally
        {
            foreach (var host in hosts) Processes.KillTree(host);
            other.Dispose();
        }
    }

    [Fact]
    public void AHostWhoseCoresAreAllBusyFor60SecondsIsNeitherUnreachableNorDowned()
    {
        var port = LoopbackPort.Free();
        using var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{port}", Processes = 1 });
        var slots = Environment.ProcessorCount * 2; // more busy threads than cores: the heartbeats must still get through
        using var host = Drained(Binaries.Start(Binaries.Worker, ["--join", pool.Address, "--app", Binaries.TestsAssembly, "--slots", $"{slots}"]));
        try
        {
            Assert.True(pool.WaitUntilReady(Patience, slots: slots));
            var pids = pool.Map(FaultyFunctions.Spin, Enumerable.Repeat(60.0, slots), chunksize: 1);
            Assert.Single(pids.Distinct()); // one worker process ran them all: it was never replaced
            var statistics = pool.Statistics;
            Assert.Equal((slots, 0, 0, 0L, 0L, (long)slots), (statistics.Slots, statistics.WorkersLost, statistics.HostsUnreachable,
                statistics.ChunksRequeued, statistics.ItemsRerun, statistics.ItemsDone));
            Assert.False(host.HasExited);
        }
        finally { Processes.KillTree(host); }
    }
}
