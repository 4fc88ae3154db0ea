using ClusterPool.Contracts;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Jobs;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class JobTests
{
    private static readonly FunctionRef Function = new("A", "T", "M", [], Guid.NewGuid(), null, false);

    [Fact]
    public void AListCallRunsEveryOtherItemAfterAFailureThenFailsWithTheLowestFailedIndex()
    {
        var output = new RecordingOutput(ordered: false, waitsForEveryItem: true);
        var job = NewJob(output);
        job.OnInputEnd(4, null);
        job.OnValues(0, ["a"]);
        job.OnTaskError(3, new InvalidOperationException("item 3"));
        job.OnTaskError(1, new InvalidOperationException("item 1"));
        Assert.False(job.Finished); // item 2 still runs, as in Python's map
        job.OnValues(2, ["c"]);
        Assert.True(job.Finished);
        Assert.Equal("item 1", output.Error?.Message);
        Assert.Equal([0L, 2], output.Delivered.Select(d => d.Index));
    }

    [Fact]
    public void PiecesCutFromChunksGetIdsTheFeederNeverUses()
    {
        var job = NewJob(new RecordingOutput(ordered: true));
        Assert.Equal([-1L, -2, -3], new[] { job.NextPieceId(), job.NextPieceId(), job.NextPieceId() });
    }

    private static Job NewJob(RecordingOutput output) =>
        new(1, Function, new InputFeeder<object?[]>(1, Function, [], 1, new FrameBudget(128_000), 4, null), output);

    [Fact]
    public void OrderedJobDeliversInInputOrderAndCompletesOnce()
    {
        var output = new RecordingOutput(ordered: true);
        var job = NewJob(output);
        job.OnValues(2, ["c", "d"]);
        job.OnValues(0, ["a", "b"]);
        job.OnInputEnd(4, null);
        Assert.Equal([0L, 1, 2, 3], output.Delivered.Select(d => d.Index));
        Assert.Equal(1, output.Completions);
        Assert.Null(output.Error);
    }

    [Fact]
    public void OrderedJobRaisesATaskErrorAfterEveryEarlierResult()
    {
        var output = new RecordingOutput(ordered: true);
        var job = NewJob(output);
        var boom = new InvalidOperationException("item 2");
        job.OnTaskError(2, boom);
        Assert.Equal(0, output.Completions);          // items 0 and 1 are not in yet
        job.OnValues(3, ["late"]);                     // after the error: never delivered
        job.OnValues(0, ["a", "b"]);
        Assert.Equal([0L, 1], output.Delivered.Select(d => d.Index));
        Assert.Same(boom, output.Error);
        Assert.True(job.Finished);
    }

    [Fact]
    public void UnorderedJobFailsAtOnceOnATaskError()
    {
        var output = new RecordingOutput(ordered: false);
        var job = NewJob(output);
        job.OnTaskError(5, new InvalidOperationException());
        Assert.Equal(1, output.Completions);
        job.OnValues(0, ["a"]);
        Assert.Empty(output.Delivered);
    }

    [Fact]
    public void AnInputErrorEndsTheJobAfterEveryEarlierItem()
    {
        var output = new RecordingOutput(ordered: false);
        var job = NewJob(output);
        var inputError = new FormatException("bad row 3");
        job.OnInputEnd(3, inputError);
        job.OnValues(0, [0, 1]);
        Assert.Equal(0, output.Completions);
        job.OnValues(2, [2]);
        Assert.Equal(1, output.Completions);
        Assert.Same(inputError, output.Error);
        Assert.Equal(3, output.Delivered.Count);
    }

    [Fact]
    public void AnEmptyInputCompletesAtOnce()
    {
        var output = new RecordingOutput(ordered: true);
        NewJob(output).OnInputEnd(0, null);
        Assert.Equal(1, output.Completions);
        Assert.Null(output.Error);
    }
}
