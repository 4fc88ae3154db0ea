using System.Diagnostics;
using ClusterPool.Hosts;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// .NET raises a Process's Exited event holding the Process's own lock, and its Dispose takes that lock too. An SSH
/// session closed at the moment its client exits (a pool that stops while its host's session ends) deadlocked: Dispose
/// held the session's lock while it disposed the Process, and the Exited handler, holding the Process's lock, waited
/// for the session's. The demo with --hosts hung, and with it the CI run.
/// </summary>
public class SshChannelExitTests
{
    private static readonly SshSettings ExitsAtOnce = new("/bin/true", null, null, false, null,
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), null, 1, false, 0);

    [Fact]
    public void ClosingASessionAsItsClientExitsNeitherHangsNorThrows()
    {
        var random = new Random(7);
        for (var round = 0; round < 1500; round++)
        {
            var channel = SshChannel.Open(HostSpec.Parse("node1"), ExitsAtOnce);
            // Closed a moment after the start: some rounds close it as /bin/true exits.
            var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency * random.Next(0, 3000) / 1_000_000;
            while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(10);
            var closing = Task.Run(channel.Dispose);
            Assert.True(closing.Wait(TimeSpan.FromSeconds(10)), $"round {round}: closing the session hung");
            var exit = channel.ExitAsync(CancellationToken.None);
            Assert.True(exit.Wait(TimeSpan.FromSeconds(10)), $"round {round}: its exit was never seen");
        }
    }
}
