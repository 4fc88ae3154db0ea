using ClusterPool.Contracts.Configuration;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class PoolConfigTests
{
    [Fact]
    public void TheDefaultsComeFromHoconFolder()
    {
        var config = PoolConfig.Build(NodeRole.Coordinator, null, null, null);
        Assert.Equal(8L * 1024 * 1024, PoolConfig.FrameSize(config));
        Assert.Equal("", config.GetString("akka.cluster.downing-provider-class")); // only the coordinator downs
        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
        Assert.Equal("remote", PoolConfig.Build(NodeRole.Worker, null, null, null, clusterMember: false).GetString("akka.actor.provider"));
        Assert.Contains("coordinator", config.GetStringList("akka.cluster.roles"));
        Assert.Contains("worker", PoolConfig.Build(NodeRole.Worker, null, null, null).GetStringList("akka.cluster.roles"));
    }

    /// <summary>
    /// What Akka's loggers had not read when a system stops goes to its last-resort sink, whatever stdout-loglevel
    /// says: Akka's own printed an ERROR block with a stack trace on the program's stdout (a user's CSV, 2 runs of 14).
    /// </summary>
    [Fact]
    public void WhatAStoppingSystemsLoggersLeaveDoesNotReachStdout()
    {
        using var system = Akka.Actor.ActorSystem.Create(PoolConfig.SystemName,
            PoolConfig.Build(NodeRole.Worker, null, "127.0.0.1", 0, clusterMember: false));
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (keptOut, keptError) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            // As Akka's logger mailbox drains at shutdown: straight to the system's StdoutLogger.
            system.Settings.StdoutLogger.Tell(new Akka.Event.Error(new IOException("disk gone"), "endpointWriter",
                typeof(PoolConfigTests), "the checkpoint could not be written"), Akka.Actor.ActorRefs.NoSender);
        }
        finally
        {
            Console.SetOut(keptOut);
            Console.SetError(keptError);
        }
        Assert.Equal("", stdout.ToString());
        Assert.Contains("endpointWriter: the checkpoint could not be written (IOException: disk gone)", stderr.ToString());
        system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("clusterpool.max-retries = -1", "clusterpool.max-retries")]
    [InlineData("clusterpool.dispatch.target-batch-duration = soon", "clusterpool.dispatch.target-batch-duration")]
    [InlineData("akka.remote.dot-netty.tcp.maximum-frame-size = huge", "akka.remote.dot-netty.tcp.maximum-frame-size")]
    [InlineData("clusterpool.hosts.down-unreachable-after = never", "clusterpool.hosts.down-unreachable-after")]
    [InlineData("akka.remote.dot-netty.tcp.port = 70000", "akka.remote.dot-netty.tcp.port")]
    [InlineData("clusterpool.local-workers.spares.idle-below = 1.5", "from 0 to 1, not 1.5")]
    [InlineData("clusterpool.local-workers.spares.idle-below = most", "clusterpool.local-workers.spares.idle-below")]
    public void AWrongSettingIsAnErrorThatNamesIt(string hocon, string named)
    {
        var error = Assert.Throws<PoolConfigurationException>(() =>
            PoolSettings.Create(PoolConfig.Build(NodeRole.Coordinator, hocon, null, null), new PoolOptions()));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void MalformedHoconIsAnErrorThatSaysWhere()
    {
        var error = Assert.Throws<PoolConfigurationException>(() => PoolConfig.Build(NodeRole.Coordinator, "akka.loglevel = ${undefined-setting}", null, null));
        Assert.Contains("your configuration override", error.Message);
    }

    /// <summary>Text Akka's parser reads without a word (and so ignored): each is refused, saying what is wrong.</summary>
    [Theory]
    [InlineData("akka { loglevel = INFO", "the '{' opened on line 1 is never closed")]
    [InlineData("this is { not hocon", "the '{' opened on line 1 is never closed")]
    [InlineData("}}}} ===", "the '}' on line 1 closes nothing")]
    [InlineData("akka.loglevel = INFO\n}", "the '}' on line 2 closes nothing")]
    [InlineData("a = [1, 2}", "the '}' on line 1 closes the '[' opened on line 1")]
    [InlineData("a = \"unclosed", "the string opened on line 1 is never closed")]
    [InlineData("a = \"\"\"never\nclosed\"", "the string opened on line 1 is never closed")]
    [InlineData("akka.loglevel INFO", "\"akka.loglevel INFO\" has no value")]
    [InlineData("clusterpool.max-retries = 5\nclusterpool.task-timeout", "\"clusterpool.task-timeout\" has no value")]
    public void TextTheParserWouldIgnoreIsAnErrorThatSaysWhatIsWrong(string hocon, string problem)
    {
        var error = Assert.Throws<PoolConfigurationException>(() =>
            PoolConfig.Build(NodeRole.Coordinator, hocon, null, null));
        Assert.Contains("your configuration override is not valid HOCON", error.Message);
        Assert.Contains(problem, error.Message);
    }

    /// <summary>The name of a file where HOCON text is meant (CLUSTERPOOL_CONFIG=/etc/pool.conf) says so.</summary>
    [Fact]
    public void AFileNameInsteadOfHoconTextIsAnErrorThatSaysSo()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "clusterpool.max-retries = 5");
            var error = Assert.Throws<PoolConfigurationException>(() =>
                PoolConfig.Build(NodeRole.Coordinator, file, null, null));
            Assert.Contains($"it must hold HOCON text, not a file's name (for a file's text: \"$(cat {file})\")",
                error.Message);
        }
        finally { File.Delete(file); }
    }

    [Theory]
    [InlineData("akka { loglevel = INFO } # a } in a comment { [")]
    [InlineData("akka.loglevel = \"INFO\" // also { here")]
    [InlineData("clusterpool.max-retries = 5\nakka.actor.deployment {}")]
    [InlineData("a = \"a { in a string\", b = \"an \\\" escaped quote {\"")]
    [InlineData("a = \"\"\"a triple-quoted { string\nover two lines\"\"\"\nb = [1, [2, 3]]")]
    [InlineData("a = ${?HOME}")]
    public void ValidHoconIsTakenAsItIs(string hocon) =>
        PoolConfig.Build(NodeRole.Coordinator, hocon, null, null);
}
