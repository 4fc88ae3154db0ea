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
            var run = Task.Run(() => { foreach (var r in pool.IMapUnordered(StampedFunctions.SleepASecond, Enumerable.Range(0, 16))) lock (results) results.Add(r); });
            Thread.Sleep(500); // every slot is in the middle of an item
            var cutAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            other.Cut();

            Wait.For(() => pool.Statistics.HostsUnreachable >= 3,
                TimeSpan.FromSeconds(30), "the cut-off hosts to be noticed");
            var detectedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var detected = (detectedAt - cutAt) / 1000.0;
            output.WriteLine($"cut-off hosts unreachable and their chunks re-queued after {detected:0.0} s");
            Assert.True(detected <= 12, $"noticing the cut took {detected:0.0} s (target 10 s)");

            Assert.True(run.Wait(Patience), "the call did not finish on the coordinator's side");
            Assert.Equal(Enumerable.Range(0, 16), results.Select(r => r.X).Order()); // every result once: none lost, none twice
            // The re-queued chunks go to the front of the queue: the first item started after the detection is a re-run.
            var rerunAt = results.Where(r => r.StartedMs >= detectedAt).Min(r => r.StartedMs);
            output.WriteLine($"the first lost chunk ran again {(rerunAt - cutAt) / 1000.0:0.0} s after the cut");

            // The coordinator's side kept the cluster though it is the minority: it still runs calls.
            Assert.Equal([1, 4, 9], pool.Map(TestFunctions.Square, [1, 2, 3]));
            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Max(0, cutAt + 30_000 - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
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
