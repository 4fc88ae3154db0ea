using ClusterPool.Bench;
using ClusterPool.Contracts.Security;
using ClusterPool.Workers;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// A shared array on "machines" that are network namespaces, each keeping shared values in a folder of its own, with
/// two worker hosts (processes) each, joined over TLS: the value crosses to each machine once, however many of its
/// processes read it, survives a killed host, and reaches a machine that joins late.
/// </summary>
public class ShareAcrossMachinesTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private const int Elements = 1 << 19; // 4 MiB of doubles

    [NetnsFact]
    public void AValueCrossesToEachMachineOnceSurvivesAKilledHostAndReachesALateMachine()
    {
        var folder = Directory.CreateTempSubdirectory("cp-share-machines-").FullName;
        using var rig = new ClusterRig(machines: 3);
        try
        {
            var certificate = ClusterCertificates.WriteNew(folder, "share", TimeSpan.FromDays(1), password: null);
            using var pool = Pool.Start(new PoolOptions
            {
                ListenAddress = $"{rig.CoordinatorHost}:{LoopbackPort.Free()}", Certificate = certificate,
            });
            RigHost Host(int machine) => rig.StartHost(machine, pool.Address,
                ["--app", Binaries.TestsAssembly, "--slots", "1", "--cert", certificate],
                new Dictionary<string, string>
                {
                    ["CLUSTERPOOL_CONFIG"] = $"clusterpool.worker.shared.directory = \"{folder}/machine{machine}\"",
                });
            var hosts = new List<RigHost> { Host(0), Host(0), Host(1), Host(1) };
            Assert.True(pool.WaitUntilReady(Patience, slots: 4), rig.Said());

            var prices = Enumerable.Range(0, Elements).Select(i => i * 0.25).ToArray();
            using var shared = pool.Share(prices);
            var slices = Enumerable.Range(0, 64).Select(i => (shared, i * (Elements / 64), Elements / 64)).ToList();
            var expected = slices.Select(s => Enumerable.Range(s.Item2, s.Item3).Sum(i => i * 0.25)).ToList();

            var results = pool.StarMap(ShareAcrossMachinesFunctions.SlowSliceSum, slices, chunksize: 1);
            Assert.Equal(expected, results.Select(r => r.Sum));
            Assert.Equal(4, results.Select(r => r.Pid).Distinct().Count()); // every process read it
            Assert.Equal(2L * Elements * sizeof(double), pool.Statistics.SharedBytesSent); // once per machine

            // A host killed mid-Map: its tasks run again elsewhere; its machine's other process still has the copy.
            var running = pool.StarMapAsync(ShareAcrossMachinesFunctions.SlowSliceSum, slices, chunksize: 1);
            Thread.Sleep(700);
            hosts[0].KillNow();
            Assert.Equal(expected, running.Get(Patience).Select(r => r.Sum));
            Assert.Equal(2L * Elements * sizeof(double), pool.Statistics.SharedBytesSent);

            // A machine that joins late gets the value when its first task reads it: once more, not once per task.
            var late = Host(2);
            Assert.True(pool.WaitUntilReady(Patience, slots: 4), rig.Said());
            var third = pool.StarMap(ShareAcrossMachinesFunctions.SlowSliceSum, slices, chunksize: 1);
            Assert.Equal(expected, third.Select(r => r.Sum));
            Assert.Contains(third, r => Processes.ParentOf(r.Pid) == late.Process.Id);
            Assert.Equal(3L * Elements * sizeof(double), pool.Statistics.SharedBytesSent);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
