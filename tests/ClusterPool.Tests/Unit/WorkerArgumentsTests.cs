using ClusterPool.Worker;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>The worker host's own command line (no command-line library in the package): what it reads and what it refuses.</summary>
public class WorkerArgumentsTests
{
    [Fact]
    public void ReadsEveryOptionInBothForms()
    {
        var config = Path.GetTempFileName(); // a --config file must exist
        try
        {
            var options = WorkerArguments.Parse(["--join", "10.0.0.5:4053", "--slots=8", "--app", "My.dll", "--port", "4100", "--embedded",
                "--parent-pid", "42", "--cert", "node.pfx", $"--config={config}", "--host", "10.0.0.7", "--announce-join"]);
            Assert.Equal(("10.0.0.5:4053", 8, "My.dll", 4100, 42), (options.Join, options.Slots, options.App, options.Port, options.ParentPid));
            Assert.Equal(("node.pfx", config, "10.0.0.7"), (options.CertificateFile, options.ConfigFile, options.Host));
            Assert.True(options.Embedded && options.AnnounceJoin);
        }
        finally { File.Delete(config); }
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
    // A slot is a thread: 100 million grew a host without end; 150,000 registered in a message over a frame, for ever.
    [InlineData("--slots must be at most 4,096, not 150,000 (a slot is a thread", "--join", "h:1", "--slots", "150000")]
    [InlineData("--port must be at most 65,535, not 70,000", "--join", "h:1", "--port", "70000")]
    [InlineData("--config names no file: /nonexistent/pool.conf", "--join", "h:1", "--config", "/nonexistent/pool.conf")]
    public void BadArgumentsAreNamed(string message, params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => WorkerArguments.Parse(args));
        Assert.Contains(message, error.Message);
    }

    /// <summary>
    /// A host a pool starts over SSH: its certificate in CLUSTERPOOL_CERT_PFX (--cert-from-env), its lifeline on stdin
    /// (--exit-with-stdin). Neither is on by default; a certificate from a file and from the variable at once is refused,
    /// as is a lifeline for a host that has its parent's already.
    /// </summary>
    [Fact]
    public void ReadsTheFlagsOfAHostStartedOverSshAndRefusesTheirConflicts()
    {
        var options = WorkerArguments.Parse(["--join", "h:1", "--cert-from-env", "--exit-with-stdin"]);
        Assert.True(options.CertificateFromEnvironment && options.ExitWithStdin);
        Assert.Null(options.CertificateFile);
        var plain = WorkerArguments.Parse(["--join", "h:1", "--cert", "node.pfx"]);
        Assert.False(plain.CertificateFromEnvironment || plain.ExitWithStdin);

        var both = Assert.Throws<ArgumentException>(() =>
            WorkerArguments.Parse(["--join", "h:1", "--cert", "node.pfx", "--cert-from-env"])).Message;
        Assert.Contains("--cert and --cert-from-env", both);
        Assert.Contains("CLUSTERPOOL_CERT_PFX", both);
        Assert.Contains("--cert-from-env takes no value",
            Assert.Throws<ArgumentException>(() => WorkerArguments.Parse(["--join", "h:1", "--cert-from-env=x"])).Message);
        var child = Assert.Throws<ArgumentException>(() =>
            WorkerArguments.Parse(["--join", "h:1", "--parent-pid", "42", "--exit-with-stdin"])).Message;
        Assert.Contains("--exit-with-stdin", child);
        Assert.Contains("--parent-pid", child);
    }

    [Fact]
    public void HelpListsTheOptionsPeopleUseAndHidesThePoolsOwn()
    {
        var usage = WorkerArguments.Usage("clusterpool-worker", WorkerCommand.Description);
        Assert.Contains("--join HOST:PORT", usage);
        Assert.Contains("--cert FILE", usage);
        Assert.DoesNotContain("--parent-pid", usage);
        Assert.DoesNotContain("--cert-from-env", usage);
        Assert.DoesNotContain("--exit-with-stdin", usage);
        Assert.True(WorkerArguments.AsksForHelp(["--join", "h:1", "-h"]));
    }
}
