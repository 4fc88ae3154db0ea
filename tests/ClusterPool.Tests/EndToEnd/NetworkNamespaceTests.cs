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

/// <summary>A theory that runs only where the test can make Linux network namespaces (see <see cref="NetnsFactAttribute"/>).</summary>
public sealed class NetnsTheoryAttribute : TheoryAttribute
{
    public NetnsTheoryAttribute() => Skip = new NetnsFactAttribute().Skip;
}

public class NetworkNamespaceTests
{
    /// <summary>Across a network (a namespace of its own), over mutually authenticated TLS: an address other than loopback needs it.</summary>
    [NetnsFact]
    public void AWorkerHostOnAnotherNetworkJoinsTheCoordinatorOverTlsAndRunsAMap()
    {
        var other = new NetworkNamespace();
        var certificates = Directory.CreateTempSubdirectory("clusterpool-netns-tls-").FullName;
        using (other)
        {
            var node = ClusterPool.Contracts.Security.ClusterCertificates.WriteNew(certificates, "netns", TimeSpan.FromDays(1), null);
            var port = LoopbackPort.Free();
            using var pool = Pool.Start(new PoolOptions { ListenAddress = $"{other.HostAddress}:{port}", Processes = 2, Certificate = node });
            ClusterModeTests.WithWorkerHost(Binaries.Worker,
                ["--join", pool.Address, "--app", Binaries.TestsAssembly, "--slots", "2", "--cert", node], worker =>
                {
                    Assert.True(pool.WaitUntilReady(TimeSpan.FromSeconds(60), slots: 2), "the namespaced worker never registered");
                    var results = pool.Map(TestFunctions.Sleep, Enumerable.Repeat(0.2, 6), chunksize: 1);
                    // A host started by hand supervises: the tasks run in its child process.
                    Assert.Equal([worker.Id], results.Select(r => Processes.ParentOf(r.Pid)).Distinct());
                }, wrapper: other.Exec);
        }
        Directory.Delete(certificates, recursive: true);
        Assert.DoesNotContain(other.Name, ListNamespaces());
    }

    private static string ListNamespaces()
    {
        using var ip = Process.Start(new ProcessStartInfo("ip", "netns list") { RedirectStandardOutput = true })!;
        return ip.StandardOutput.ReadToEnd();
    }
}
