using Akka.Event;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Workers;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>A local worker's stderr reaches the pool's logger at the level of each line: Akka's own lines as the
/// worker wrote them (an INFO line is not a warning), anything else as a warning.</summary>
public class WorkerErrorOutputTests
{
    public static TheoryData<string, LogLevel> WorkerLines => new()
    {
        { StdErrLogger.Line(new Debug("remoting", typeof(object), "a debug line")), LogLevel.Debug },
        { StdErrLogger.Line(new Info("remoting", typeof(object), "Starting remoting")), LogLevel.Information },
        { StdErrLogger.Line(new Warning("remoting", typeof(object), "slow")), LogLevel.Warning },
        { StdErrLogger.Line(new Error(new IOException("gone"), "remoting", typeof(object), "failed")), LogLevel.Error },
        { "Unhandled exception. System.IO.FileNotFoundException: Could not load file", LogLevel.Warning },
        { "clusterpool worker: refused a connection", LogLevel.Warning },
    };

    [Theory]
    [MemberData(nameof(WorkerLines))]
    public void EachLineKeepsItsLevel(string line, LogLevel level) => Assert.Equal(level, WorkerErrorOutput.LevelOf(line));
}
