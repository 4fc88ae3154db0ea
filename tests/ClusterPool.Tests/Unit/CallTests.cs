using ClusterPool.Contracts;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Calls;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class CallTests
{
    private static readonly FunctionRef Function = new("A", "T", "M", [], Guid.NewGuid(), null, false);

    [Fact]
    public void AListCallRunsEveryOtherItemAfterAFailureThenFailsWithTheLowestFailedIndex()
    {
        var output = new RecordingOutput(ordered: false, waitsForEveryItem: true);
        var call = NewCall(output);
        call.OnInputEnd(4, null);
        call.OnValues(0, ["a"]);
        call.OnTaskError(3, new InvalidOperationException("item 3"));
        call.OnTaskError(1, new InvalidOperationException("item 1"));
        Assert.False(call.Finished); // item 2 still runs, as in Python's map
        call.OnValues(2, ["c"]);
        Assert.True(call.Finished);
        Assert.Equal("item 1", output.Error?.Message);
        Assert.Equal([0L, 2], output.Delivered.Select(d => d.Index));
    }

    [Fact]
    public void PiecesCutFromChunksGetIdsTheFeederNeverUses()
    {
        var call = NewCall(new RecordingOutput(ordered: true));
        Assert.Equal([-1L, -2, -3], new[] { call.NextPieceId(), call.NextPieceId(), call.NextPieceId() });
    }

    /// <summary>A result the call's type cannot hold (Map told int, the worker sent text) fails its item, not the coordinator.</summary>
    [Fact]
    public void AResultOfTheWrongTypeFailsItsItemAndTheCallGoesOn()
    {
        var output = new ListOutput<int, IReadOnlyList<int>>(values => values, null, null, new CallbackQueue(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var call = NewCall((CallOutput)output);
        call.OnValues(0, 1, "two", 3);
        call.OnInputEnd(3, null);
        var error = Assert.IsType<InvalidCastException>(Assert.Throws<AggregateException>(() => output.Task.Wait()).InnerException);
        Assert.Contains("item 1's result is a System.String", error.Message);
        Assert.True(call.Finished);
    }

    private static Call NewCall(RecordingOutput output) => NewCall((CallOutput)output);

    private static Call NewCall(CallOutput output) =>
        new(1, Function, new InputFeeder<object?[]>(1, Function, [], 1, new FrameBudget(128_000), 4, null), output);

    [Fact]
    public void OrderedCallDeliversInInputOrderAndCompletesOnce()
    {
        var output = new RecordingOutput(ordered: true);
        var call = NewCall(output);
        call.OnValues(2, ["c", "d"]);
        call.OnValues(0, ["a", "b"]);
        call.OnInputEnd(4, null);
        Assert.Equal([0L, 1, 2, 3], output.Delivered.Select(d => d.Index));
        Assert.Equal(1, output.Completions);
        Assert.Null(output.Error);
    }

    /// <summary>IMap: a failed item takes its place in input order, and the stream goes on past it (Python's imap).</summary>
    [Fact]
    public void OrderedCallDeliversATaskErrorInItsPlaceAndGoesOn()
    {
        var output = new RecordingOutput(ordered: true);
        var call = NewCall(output);
        var boom = new InvalidOperationException("item 2");
        call.OnTaskError(2, boom);
        Assert.Empty(output.Outcomes);                // items 0 and 1 are not in yet
        call.OnValues(3, ["d"]);
        call.OnValues(0, ["a", "b"]);
        Assert.Equal([(0L, (object?)"a"), (1, "b"), (2, boom), (3, "d")], output.Outcomes);
        Assert.False(call.Finished);
        call.OnInputEnd(4, null);
        Assert.True(call.Finished);
        Assert.Null(output.Error);                    // the stream ended normally; the failure was delivered in place
    }

    [Fact]
    public void UnorderedCallDeliversATaskErrorAtOnceAndGoesOn()
    {
        var output = new RecordingOutput(ordered: false);
        var call = NewCall(output);
        var boom = new InvalidOperationException();
        call.OnTaskError(5, boom);
        Assert.Equal([(5L, boom)], output.Failed);
        Assert.Equal(0, output.Completions);
        call.OnValues(0, ["a"]);
        Assert.Equal([(0L, (object?)"a")], output.Delivered);
    }

    [Fact]
    public void AnInputErrorEndsTheCallAfterEveryEarlierItem()
    {
        var output = new RecordingOutput(ordered: false);
        var call = NewCall(output);
        var inputError = new FormatException("bad row 3");
        call.OnInputEnd(3, inputError);
        call.OnValues(0, [0, 1]);
        Assert.Equal(0, output.Completions);
        call.OnValues(2, [2]);
        Assert.Equal(1, output.Completions);
        Assert.Same(inputError, output.Error);
        Assert.Equal(3, output.Delivered.Count);
    }

    [Fact]
    public void AnEmptyInputCompletesAtOnce()
    {
        var output = new RecordingOutput(ordered: true);
        NewCall(output).OnInputEnd(0, null);
        Assert.Equal(1, output.Completions);
        Assert.Null(output.Error);
    }
}
