using System.Diagnostics;
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

/// <summary>
/// A second "machine": a network namespace with its own address, joined to this one by a veth pair. The test makes it
/// and removes it, even on failure.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    public NetworkNamespace()
    {
        var id = Random.Shared.Next(1000, 9999);
        Name = $"cptest{id}";
        HostSide = $"cph{id}";
        var subnet = $"10.213.{id % 250}";
        HostAddress = $"{subnet}.1";
        Address = $"{subnet}.2";
        try
        {
            Ip($"netns add {Name}");
            Ip($"link add {HostSide} type veth peer name cpn{id}");
            Ip($"link set cpn{id} netns {Name}");
            Ip($"addr add {HostAddress}/24 dev {HostSide}");
            Ip($"link set {HostSide} up");
            Ip($"netns exec {Name} ip addr add {Address}/24 dev cpn{id}");
            Ip($"netns exec {Name} ip link set cpn{id} up");
            Ip($"netns exec {Name} ip link set lo up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }
    public string HostSide { get; }
    public string HostAddress { get; }
    public string Address { get; }

    /// <summary>The command prefix that runs a program inside the namespace.</summary>
    public string[] Exec => ["ip", "netns", "exec", Name];

    /// <summary>Cuts the link (as a pulled cable would): no packet passes, nothing is refused.</summary>
    public void Cut() => Ip($"link set {HostSide} down");

    /// <summary>Restores the link.</summary>
    public void Heal() => Ip($"link set {HostSide} up");

    public void Dispose()
    {
        Ip($"netns del {Name}", check: false);       // takes the namespace's end of the pair with it
        Ip($"link del {HostSide}", check: false);     // in case the pair outlived it
    }

    private static void Ip(string args, bool check = true)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args.Split(' ')) info.ArgumentList.Add(arg);
        using var ip = Process.Start(info)!;
        var error = ip.StandardError.ReadToEnd();
        ip.WaitForExit();
        if (check && ip.ExitCode != 0) throw new InvalidOperationException($"ip {args} failed: {error}");
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
            var port = ClusterModeTests.FreePort();
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
