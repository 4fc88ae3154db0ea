using System.CommandLine;
using ClusterPool.Cli;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>The tool's <c>--hosts</c>, <c>--hosts-file</c> and <c>--accept-new-host-keys</c> (demo, sample finance),
/// as they reach a pool's options.</summary>
public class HostsOptionsTests
{
    private static (HostsChoice Choice, ParseResult Parse) Parse(params string[] args)
    {
        var command = new Command("demo");
        var options = HostsOptions.AddTo(command);
        var parse = command.Parse(args);
        return (options.Read(parse), parse);
    }

    [Theory]
    [InlineData(new[] { "--hosts", "alice@a slots=4", "b", "--hosts", "c" }, new[] { "alice@a slots=4", "b", "c" })]
    [InlineData(new[] { "--hosts", "alice@a", "slots=4", "b" }, new[] { "alice@a slots=4", "b" })]
    [InlineData(new[] { "--hosts", "a:2222" }, new[] { "a:2222" })]
    public void EachArgumentIsOneEntryAndAStraySlotsJoinsTheOneBefore(string[] args, string[] entries)
    {
        var (choice, parse) = Parse(args);
        Assert.Empty(parse.Errors);
        var options = new PoolOptions();
        choice.ApplyTo(options);
        Assert.Equal(entries, options.Hosts);
        Assert.Null(options.Ssh.AcceptNewHostKeys); // left to clusterpool.ssh in the configuration
    }

    [Fact]
    public void AHostsFileAndAcceptingNewKeysReachTheOptions()
    {
        var (choice, _) = Parse("--hosts-file", "cluster.txt", "--accept-new-host-keys");
        var options = new PoolOptions();
        choice.ApplyTo(options);
        Assert.True(choice.Any);
        Assert.Equal(("cluster.txt", (IReadOnlyList<string>?)null, (bool?)true),
            (options.HostsFile, options.Hosts, options.Ssh.AcceptNewHostKeys));
    }

    [Fact]
    public void WithoutThemThePoolHasNoHosts()
    {
        var (choice, _) = Parse();
        var options = new PoolOptions();
        choice.ApplyTo(options);
        Assert.False(choice.Any);
        Assert.Equal((null, null), (options.Hosts, options.HostsFile));
    }

    [Theory]
    [InlineData("node1 slots=0", "slots=N")]
    [InlineData("slots=4", "follows no host")]
    public void ABadEntryIsABadArgumentNamingTheOption(string entry, string expected)
    {
        var (_, parse) = Parse("--hosts", entry);
        var error = Assert.Single(parse.Errors).Message;
        Assert.StartsWith("--hosts: ", error);
        Assert.Contains(expected, error);
    }
}
