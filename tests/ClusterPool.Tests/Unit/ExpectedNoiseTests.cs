using Akka.Event;
using ClusterPool.Contracts.Configuration;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>Akka's lines about connections that end as the pool intends are not shown (<see
/// cref="StdErrLogger.IsExpectedNoise"/>); others are.</summary>
public class ExpectedNoiseTests
{
    [Theory]
    [InlineData("Unable to REMOVE channel [[::ffff:127.0.0.1]:53596->[::ffff:127.0.0.1]:20653](Id=5ae7154f) from " +
        "connection group. May not shut down cleanly.", true)]
    [InlineData("Tried to associate with unreachable remote address [akka.tcp://clusterpool@127.0.0.1:4053]", true)]
    [InlineData("No response from remote for outbound association. Handshake timed out after [15000] ms", true)]
    [InlineData("Shutdown finished, but flushing might not have been successful and some messages might have been " +
        "dropped. Increase akka.remote.flush-wait-on-shutdown to a larger value to avoid this.", true)]
    [InlineData("Half-close failed on channel [[::ffff:127.0.0.1]:28968->[::ffff:127.0.0.1]:48178]; closing it " +
        "outright", true)]
    [InlineData("Association with remote system akka.tcp://clusterpool@127.0.0.1:4053 has failed", false)]
    public void OnlyWhatThePoolSaysInItsOwnWordsIsLeftOut(string warning, bool noise) =>
        Assert.Equal(noise, StdErrLogger.IsExpectedNoise(new Warning("remoting", typeof(object), warning)));
}
