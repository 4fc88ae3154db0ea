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

    /// <summary>A result the call's type cannot hold (Map told int, the worker sent text) fails its item, not the coordinator.</summary>
    [Fact]
    public void AResultOfTheWrongTypeFailsItsItemAndTheCallGoesOn()
    {
        var output = new ListOutput<int, IReadOnlyList<int>>(values => values, null, null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var job = NewJob((JobOutput)output);
        job.OnValues(0, 1, "two", 3);
        job.OnInputEnd(3, null);
        var error = Assert.IsType<InvalidCastException>(Assert.Throws<AggregateException>(() => output.Task.Wait()).InnerException);
        Assert.Contains("item 1's result is a System.String", error.Message);
        Assert.True(job.Finished);
    }

    private static Job NewJob(RecordingOutput output) => NewJob((JobOutput)output);

    private static Job NewJob(JobOutput output) =>
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

    /// <summary>IMap: a failed item takes its place in input order, and the stream goes on past it (Python's imap).</summary>
    [Fact]
    public void OrderedJobDeliversATaskErrorInItsPlaceAndGoesOn()
    {
        var output = new RecordingOutput(ordered: true);
        var job = NewJob(output);
        var boom = new InvalidOperationException("item 2");
        job.OnTaskError(2, boom);
        Assert.Empty(output.Outcomes);                // items 0 and 1 are not in yet
        job.OnValues(3, ["d"]);
        job.OnValues(0, ["a", "b"]);
        Assert.Equal([(0L, (object?)"a"), (1, "b"), (2, boom), (3, "d")], output.Outcomes);
        Assert.False(job.Finished);
        job.OnInputEnd(4, null);
        Assert.True(job.Finished);
        Assert.Null(output.Error);                    // the stream ended normally; the failure was delivered in place
    }

    [Fact]
    public void UnorderedJobDeliversATaskErrorAtOnceAndGoesOn()
    {
        var output = new RecordingOutput(ordered: false);
        var job = NewJob(output);
        var boom = new InvalidOperationException();
        job.OnTaskError(5, boom);
        Assert.Equal([(5L, boom)], output.Failed);
        Assert.Equal(0, output.Completions);
        job.OnValues(0, ["a"]);
        Assert.Equal([(0L, (object?)"a")], output.Delivered);
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
