using System.Net;
using System.Net.Sockets;
using ClusterPool.Workers;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// A fixed address that another process already listens on, or that a node cannot use, is refused at once and named:
/// Akka's transport asked for SO_REUSEADDR, which .NET on Linux makes SO_REUSEPORT too, so a second pool on one
/// <c>ListenAddress</c> (or a second worker host with the same <c>--port</c>) bound beside the first and the kernel
/// split the connections between them without a word. A restart on the same port, with the old connections still in
/// TIME_WAIT, must still bind. And a worker host's <c>--join</c> or <c>--host</c> that cannot be used is one line and
/// exit code 2, not a socket's stack trace.
/// </summary>
public class ListenConflictTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void ASecondPoolOnTheSameListenAddressFailsNamingTheAddress()
    {
        var address = $"127.0.0.1:{LoopbackPort.Free()}";
        using var first = Pool.Start(new PoolOptions { ListenAddress = address, Processes = 1 });
        var error = Assert.Throws<IOException>(() =>
        {
            using var second = Pool.Start(new PoolOptions { ListenAddress = address, Processes = 1 });
        });
        Assert.Contains($"cannot listen on {address} (PoolOptions.ListenAddress): the address is in use", error.Message);
        // The first pool is untouched: a host that joins it runs its work.
        ClusterModeTests.WithWorkerHost(Binaries.Worker, ["--join", address, "--app", Binaries.TestsAssembly], _ =>
            Assert.Equal(Enumerable.Range(0, 10).Select(x => x * x), first.Map(TestFunctions.Square, Enumerable.Range(0, 10))));
    }

    /// <summary>
    /// A pool without a ListenAddress picks a free port before it binds it (its workers start meanwhile): another
    /// program can take that port in between. The pool then starts on another one, and its workers find it.
    /// </summary>
    [Fact]
    public void APoolWhoseFreePortIsTakenBeforeItBindsStartsOnAnother()
    {
        using var taker = new TcpListener(IPAddress.Loopback, LoopbackPort.Free());
        taker.Start();
        var taken = ((IPEndPoint)taker.LocalEndpoint).Port;
        var picks = 0;
        PoolStarter.ChooseFreePort = () => ++picks == 1 ? taken : LoopbackPort.Free();
        try
        {
            using var pool = Pool.Start(new PoolOptions { Processes = 1, Config = OwnActorSystem.Config });
            Assert.Equal(2, picks);
            Assert.NotEqual($"127.0.0.1:{taken}", pool.Address);
            Assert.Equal(Enumerable.Range(0, 10).Select(x => x * x), pool.Map(TestFunctions.Square, Enumerable.Range(0, 10)));
        }
        finally { PoolStarter.ChooseFreePort = LoopbackPort.Free; }
    }

    /// <summary>
    /// What switching reuse off could break: a pool restarted on its port while connections of the last run still wait
    /// in TIME_WAIT there (the side that closes first keeps it, here this port's).
    /// </summary>
    [Fact]
    public void APoolRestartedOnItsPortStartsWhileOldConnectionsWaitInTimeWait()
    {
        var port = LoopbackPort.Free();
        LeaveTimeWaitOn(port);
        using (var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{port}", Processes = 1 }))
            ClusterModeTests.WithWorkerHost(Binaries.Worker, ["--join", pool.Address, "--app", Binaries.TestsAssembly], _ =>
                Assert.Equal(Enumerable.Range(0, 10).Select(x => x * x), pool.Map(TestFunctions.Square, Enumerable.Range(0, 10))));
        // And again at once, a few times, as a program that makes one pool after another on its port: Terminate
        // returns before the last pool's actor system has let go of the port.
        for (var run = 0; run < 3; run++)
        {
            using var again = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{port}", Processes = 1 });
            Assert.Equal($"127.0.0.1:{port}", again.Address);
        }
    }

    [Fact]
    public void ASecondWorkerHostWithTheSamePortExitsWithCodeTwoNamingIt()
    {
        var port = LoopbackPort.Free();
        using var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{LoopbackPort.Free()}", Processes = 2 });
        string[] args = ["--join", pool.Address, "--app", Binaries.TestsAssembly, "--port", port.ToString()];
        ClusterModeTests.WithWorkerHost(Binaries.Worker, args, first =>
        {
            Assert.True(pool.WaitUntilReady(Patience, slots: 1), "the first host never registered");
            var (code, said) = RunToExit(args);
            Assert.Equal(2, code);
            Assert.Contains($"cannot listen on 127.0.0.1:{port} (--port {port}): the address is in use", said);
            Assert.False(first.HasExited);
            Assert.Equal(1, pool.Slots);
        });
    }

    /// <summary>
    /// The host itself (its supervisor's child), when the port is taken after its supervisor looked: Akka's failed bind
    /// becomes the same line and code. The port is held as Akka held it before the fix (SO_REUSEADDR, so SO_REUSEPORT).
    /// </summary>
    [Fact]
    public void AHostWhosePortIsTakenWhenItBindsExitsWithCodeTwoNamingIt()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        using var host = Binaries.Start(Binaries.Worker, ["--join", $"127.0.0.1:{LoopbackPort.Free()}", "--app", Binaries.TestsAssembly,
            "--port", port.ToString(), "--parent-pid", Environment.ProcessId.ToString()], redirectStdin: true);
        var said = host.StandardError.ReadToEndAsync();
        try { Assert.True(host.WaitForExit(TimeSpan.FromSeconds(30)), "the host did not exit"); }
        finally { Processes.KillTree(host); }
        Assert.Equal(2, host.ExitCode);
        Assert.Contains($"cannot listen on 127.0.0.1:{port} (--port {port}): the address is in use", said.Result);
        Assert.DoesNotContain("   at ", said.Result); // no stack trace, Akka's or ours
    }

    [Fact]
    public void AJoinHostThatDoesNotResolveIsOneLineAndCodeTwo()
    {
        var (code, said) = RunToExit(["--join", "no-such-host.invalid:4053", "--app", Binaries.TestsAssembly]);
        Assert.Equal(2, code);
        Assert.Contains("--join no-such-host.invalid:4053: the host name no-such-host.invalid does not resolve", said);
        Assert.DoesNotContain("   at ", said);
    }

    [Fact]
    public void AHostAddressNotOfThisMachineIsOneLineAndCodeTwo()
    {
        // 192.0.2.0/24 is for documentation (RFC 5737): never an address of this machine.
        var (code, said) = RunToExit(["--join", $"127.0.0.1:{LoopbackPort.Free()}", "--app", Binaries.TestsAssembly, "--host", "192.0.2.11"]);
        Assert.Equal(2, code);
        Assert.Contains("cannot listen on 192.0.2.11 (--host 192.0.2.11): it is not an address of this machine", said);
        Assert.Single(said.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Runs a worker host started by hand until it exits (at most 30 s): its exit code and stderr.</summary>
    private static (int Code, string Stderr) RunToExit(string[] args)
    {
        using var host = Binaries.Start(Binaries.Worker, args);
        var said = host.StandardError.ReadToEndAsync();
        try { Assert.True(host.WaitForExit(TimeSpan.FromSeconds(30)), "the worker host did not exit within 30 s"); }
        finally { Processes.KillTree(host); }
        return (host.ExitCode, said.Result);
    }

    /// <summary>
    /// Leaves a connection in TIME_WAIT on <paramref name="port"/>: this side accepts it and closes first, then stops
    /// listening.
    /// </summary>
    private static void LeaveTimeWaitOn(int port)
    {
        using (var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen();
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(IPAddress.Loopback, port);
            using (var accepted = listener.Accept()) accepted.Shutdown(SocketShutdown.Both);
            Wait.For(() => client.Poll(0, SelectMode.SelectRead) && client.Available == 0, TimeSpan.FromSeconds(5),
                "the client to see the close");
        }
        Wait.For(() => System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpConnections()
            .Any(c => c.LocalEndPoint.Port == port && c.State == System.Net.NetworkInformation.TcpState.TimeWait),
            TimeSpan.FromSeconds(5), "a connection in TIME_WAIT on the port");
    }
}
