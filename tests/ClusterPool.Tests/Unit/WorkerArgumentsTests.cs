using ClusterPool.Worker;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>The worker host's own command line (no command-line library in the package): what it reads and what it refuses.</summary>
public class WorkerArgumentsTests
{
    [Fact]
    public void ReadsEveryOptionInBothForms()
    {
        var options = WorkerArguments.Parse(["--join", "10.0.0.5:4053", "--slots=8", "--app", "My.dll", "--port", "4100", "--embedded",
            "--parent-pid", "42", "--cert", "node.pfx", "--config=over.hocon", "--host", "10.0.0.7", "--announce-join"]);
        Assert.Equal(("10.0.0.5:4053", 8, "My.dll", 4100, 42), (options.Join, options.Slots, options.App, options.Port, options.ParentPid));
        Assert.Equal(("node.pfx", "over.hocon", "10.0.0.7"), (options.CertificateFile, options.ConfigFile, options.Host));
        Assert.True(options.Embedded && options.AnnounceJoin);
    }

    [Fact]
    public void DefaultsAreOneSlotAnyPortAndTheGivenApplication()
    {
        var options = WorkerArguments.Parse(["--join", "h:1"], defaultApp: "Tool.dll");
        Assert.Equal((1, 0, "Tool.dll", (int?)null, false), (options.Slots, options.Port, options.App, options.ParentPid, options.Embedded));
    }

    [Theory]
    [InlineData("--join is required", "--slots", "2")]
    [InlineData("--slots must be at least 1, not 0", "--join", "h:1", "--slots", "0")]
    [InlineData("--slots takes a whole number, not \"many\"", "--join", "h:1", "--slots", "many")]
    [InlineData("--app needs a value (DLL)", "--join", "h:1", "--app")]
    [InlineData("unknown argument \"--bogus\"", "--join", "h:1", "--bogus")]
    [InlineData("--join is given twice", "--join", "h:1", "--join", "h:2")]
    [InlineData("--embedded takes no value", "--join", "h:1", "--embedded=yes")]
    public void BadArgumentsAreNamed(string message, params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => WorkerArguments.Parse(args));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void HelpListsTheOptionsPeopleUseAndHidesThePoolsOwn()
    {
        var usage = WorkerArguments.Usage("clusterpool-worker", WorkerCommand.Description);
        Assert.Contains("--join HOST:PORT", usage);
        Assert.Contains("--cert FILE", usage);
        Assert.DoesNotContain("--parent-pid", usage);
        Assert.True(WorkerArguments.AsksForHelp(["--join", "h:1", "-h"]));
    }
}
