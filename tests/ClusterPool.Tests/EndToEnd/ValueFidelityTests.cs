using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>What crosses to a worker and back arrives equal: comparers, deep structures, immutable collections, scales and kinds.</summary>
[Collection("shared pool")]
public class ValueFidelityTests(SharedPool shared)
{
    private readonly Pool _pool = shared.Pool;

    [Fact]
    public void CollectionsKeepTheirComparersBothWays()
    {
        var prices = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase) { ["AAPL"] = 189.25m };
        Assert.True(_pool.Apply(ValueFunctions.HasAapl, prices));
        Assert.True(_pool.Map(ValueFunctions.SetHasAapl, [new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "AAPL" }]).Single());

        var back = _pool.Apply(ValueFunctions.Prices, 0);
        Assert.True(back.ContainsKey("aapl"));
        Assert.Same(StringComparer.OrdinalIgnoreCase, back.Comparer);
        Assert.Equal(["c", "b", "a"], _pool.Apply(ValueFunctions.Descending, 0)); // a custom comparer crosses as an object
    }

    /// <summary>
    /// Frozen sets and dictionaries find their members in the other process (they crossed with this process's hash
    /// codes, or not at all), and dictionaries that Hyperion could not rebuild (a JSON object, the user's own made with
    /// a comparer) arrive: they were sent, then failed every item of their chunk where they were read.
    /// </summary>
    [Fact]
    public void FrozenCollectionsAndDictionariesWithoutADefaultConstructorCrossBothWays()
    {
        var universe = ValueFunctions.Universe(64);
        Assert.True(_pool.Apply(ValueFunctions.InUniverse, universe));
        Assert.Contains(new Ticker("T7"), (IReadOnlySet<Ticker>)_pool.Apply(ValueFunctions.Universe, 64));
        Assert.Equal(189.25m, _pool.Apply(ValueFunctions.FrozenPrices, 0)["aapl"]);
        Assert.Equal(189.25m, _pool.Apply(ValueFunctions.QuoteOf, ValueFunctions.MakeQuotes(0)));
        Assert.Equal(189.25m, _pool.Apply(ValueFunctions.MakeQuotes, 0)["aapl"]);
        Assert.Equal("{\"px\":1.10}", _pool.Apply(ValueFunctions.Json, new JsonObject { ["px"] = 1.10m }));
        var results = _pool.IMap(ValueFunctions.MakeJson, [0, 1, 2], chunksize: 3).ToList();
        Assert.Equal("{\"px\":1.10,\"legs\":[1,2]}", ((JsonObject)results[1]!).ToJsonString());
        Assert.Equal([0, 2], [results[0], results[2]]);
    }

    /// <summary>
    /// A value that one side writes and the other cannot read fails its own item only, as Python fails only the task
    /// it cannot unpickle: its chunk's other items deliver (each runs again alone), results and arguments alike. The
    /// whole chunk failed.
    /// </summary>
    [Fact]
    public void AValueThatCannotBeReadWhereItArrivesFailsOnlyItsOwnItem()
    {
        var results = _pool.IMap(ValueFunctions.Unreadable, [0, 1, 2, 3], chunksize: 4);
        Assert.Equal(0, results.Next());
        var unreadable = Assert.Throws<PayloadSerializationException>(() => results.Next());
        Assert.Contains("can be made on a worker only", unreadable.Message);
        Assert.Equal([2, 3], [results.Next(), results.Next()]);

        object[] arguments = [0, new MadeByCallersOnly { 1 }, 2, 3];
        var numbers = _pool.IMap(ValueFunctions.Number, arguments, chunksize: 4);
        Assert.Equal(0, numbers.Next());
        var refused = Assert.Throws<PayloadSerializationException>(() => numbers.Next());
        Assert.Contains("cannot be made on a worker", refused.Message);
        Assert.Equal([2, 3], [numbers.Next(), numbers.Next()]);
    }

    /// <summary>A linked structure 100,000 deep, as argument and as result: no stack overflow on either side.</summary>
    [Fact]
    public void DeepStructuresCrossWithoutAStackOverflow()
    {
        Assert.Equal(100_000, _pool.Apply(ValueFunctions.Length, Node.Chain(100_000)));
        Assert.Equal(100_000, _pool.Apply(ValueFunctions.Chain, 100_000).Length());
        Assert.Equal(shared.WorkerPids.Order(), _pool.LocalWorkerProcessIds.Order());
    }

    [Fact]
    public void ImmutableCollectionsWorkInEveryMethod()
    {
        ImmutableArray<int>[] arrays = [[1, 2], [3, 4, 5]];
        Assert.Equal([3, 12], _pool.Map(ValueFunctions.SumImmutable, arrays));
        Assert.Equal([3, 12], _pool.IMap(ValueFunctions.SumImmutable, arrays).ToList());
        Assert.Equal(7, _pool.Apply(ValueFunctions.SumImmutable, ImmutableArray.Create(3, 4)));
        Assert.Equal([[0, 1], [0, 1, 2]], _pool.Map(ValueFunctions.Immutable, [2, 3]).Select(a => a.ToArray()));
        Assert.Equal(["n0", "n1"], _pool.IMap(ValueFunctions.ImmutableNames, [2]).Single());
        Assert.Equal(2, _pool.Map(ValueFunctions.CountImmutable, [ImmutableDictionary<string, int>.Empty.Add("a", 1).Add("b", 2)]).Single());
    }

    [Fact]
    public void StringsArriveExactlyEvenWithALoneSurrogate()
    {
        var odd = "AAPL \uD800 ünïcode";
        Assert.Equal(odd, _pool.Apply(ValueFunctions.Echo, odd));
        Assert.Equal([odd, "plain"], _pool.Map(ValueFunctions.Echo, [odd, "plain"]));
    }

    [Fact]
    public void DecimalsKeepTheirScaleAndTimesTheirKindAndOffset()
    {
        var at = new DateTime(2026, 12, 2, 9, 30, 0, DateTimeKind.Utc);
        var local = new DateTimeOffset(2026, 12, 2, 10, 30, 0, TimeSpan.FromHours(1));
        var seen = _pool.Apply(ValueFunctions.Describe, (1.10m, at, local));
        Assert.Equal((1.10m, 2, DateTimeKind.Utc, TimeSpan.FromHours(1)), seen);
        Assert.Equal("1.10", seen.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Arrays keep their shape both ways: a grid counted from 1990 (Hyperion's own form came back counted from 0, so
    /// <c>grid[1991, 0]</c> threw on the worker) and a tensor of four dimensions (it failed on the worker).
    /// </summary>
    [Fact]
    public void ArraysKeepTheirLowerBoundsAndDimensionsBothWays()
    {
        var grid = (string?[,])Array.CreateInstance(typeof(string), [2, 3], [1990, -1]);
        grid[1991, 0] = "Q4";
        Assert.Equal("Q4", _pool.Apply(ValueFunctions.Cell, grid));
        var quarters = _pool.Map(ValueFunctions.Quarters, [3]).Single();
        Assert.Equal((1990, 1992, 1, 4), (quarters.GetLowerBound(0), quarters.GetUpperBound(0), quarters.GetLowerBound(1), quarters.GetUpperBound(1)));
        Assert.Equal("1991Q3", quarters[1991, 3]);
        var tensor = new object?[2, 1, 2, 2];
        (tensor[0, 0, 1, 0], tensor[1, 0, 1, 1]) = ("a", 2.5m);
        Assert.Equal(",,a,,,,,2.5", _pool.Apply(ValueFunctions.Flatten, tensor));
    }
}
