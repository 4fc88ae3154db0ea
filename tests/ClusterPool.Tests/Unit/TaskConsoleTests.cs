using ClusterPool.Contracts.Messages;
using ClusterPool.Worker;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>A worker's task output goes in messages that fit one frame, whatever the tasks print.</summary>
public class TaskConsoleTests
{
    /// <summary>
    /// 1,000 lines of 10,000 characters (10 MB) were one message, more than a frame: Akka.Remote dropped it and every
    /// line was lost. Short lines still go 1,000 to a message.
    /// </summary>
    [Fact]
    public void ABatchOfLinesStaysFarUnderAFrame()
    {
        var wide = new Queue<OutputLine>(Enumerable.Range(0, 1_000).Select(i =>
            new OutputLine(false, $"{i} {new string('w', 10_000)}")));
        var batches = new List<OutputLine[]>();
        while (wide.Count > 0) batches.Add(TaskConsole.TakeBatch(wide));
        Assert.All(batches, batch => Assert.InRange(batch.Sum(line => line.Text.Length * 3L), 1, 1024 * 1024));
        Assert.Equal(1_000, batches.Sum(batch => batch.Length));

        var narrow = new Queue<OutputLine>(Enumerable.Range(0, 2_500).Select(i => new OutputLine(true, $"{i}")));
        Assert.Equal(1_000, TaskConsole.TakeBatch(narrow).Length);
    }
}
