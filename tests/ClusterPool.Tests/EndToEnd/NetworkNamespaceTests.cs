using ClusterPool.Workers;
using System.Diagnostics;
using ClusterPool.Bench;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>Runs only where the test can make Linux network namespaces (root with iproute2), as on CI.</summary>
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "network namespaces need Linux";
        else if (Environment.UserName != "root") Skip = "network namespaces need root";
        else if (!File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip")) Skip = "iproute2 (ip) is not installed";
    }
}

public class NetworkNamespaceTests
{
    [NetnsFact]
    public void AWorkerHostOnAnotherNetworkJoinsTheCoordinatorAndRunsAMap()
    {
        var other = new NetworkNamespace();
        using (other)
        {
            var port = LoopbackPort.Free();
            using var pool = Pool.Start(new PoolOptions { ListenAddress = $"{other.HostAddress}:{port}", Processes = 2 });
            ClusterModeTests.WithWorkerHost(Binaries.Worker,
                ["--join", pool.Address, "--app", Binaries.TestsAssembly, "--slots", "2"], worker =>
                {
                    Assert.True(pool.WaitUntilReady(TimeSpan.FromSeconds(60), slots: 2), "the namespaced worker never registered");
                    var results = pool.Map(TestFunctions.Sleep, Enumerable.Repeat(0.2, 6), chunksize: 1);
                    // A host started by hand supervises: the tasks run in its child process.
                    Assert.Equal([worker.Id], results.Select(r => Processes.ParentOf(r.Pid)).Distinct());
                }, wrapper: other.Exec);
        }
        Assert.DoesNotContain(other.Name, ListNamespaces());
    }

    private static string ListNamespaces()
    {
        using var ip = Process.Start(new ProcessStartInfo("ip", "netns list") { RedirectStandardOutput = true })!;
        return ip.StandardOutput.ReadToEnd();
    }
}
