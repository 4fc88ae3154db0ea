using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// Every function shape Python's pool maps: async functions awaited on the worker, lazy sequences run there (never in
/// the caller), functions returning nothing, and any number of arguments.
/// </summary>
[Collection("shared pool")]
public class ShapeTests(SharedPool shared)
{
    private readonly Pool _pool = shared.Pool;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AsyncFunctionsAreAwaitedOnTheWorker()
    {
        Assert.Equal([1, 4, 9], _pool.Map(ShapeFunctions.SquareLater, [1, 2, 3]));
        Assert.Equal([1, 4, 9], _pool.IMap(ShapeFunctions.SquareLater, [1, 2, 3]).ToList());
        Assert.Equal([1, 4, 9], _pool.IMapUnordered(ShapeFunctions.SquareLater, [1, 2, 3]).Order().ToList());
        Assert.Equal(16, _pool.Apply(ShapeFunctions.SquareLater, 4));
        Assert.Equal(25, await _pool.ApplyAsync(ShapeFunctions.SquareLater, 5));
        Assert.Equal("hello ana", _pool.Apply<string>(ShapeFunctions.Greet, "ana")); // ValueTask<string>
        // The async function's own exception, not an AggregateException around it.
        var error = Assert.Throws<LedgerException>(() => _pool.Map(ShapeFunctions.FailLater, [7]));
        Assert.Equal("ledger 7 failed later", error.Message);
    }

    [Fact]
    public void LazySequencesRunOnTheWorkerNotInTheCaller()
    {
        var pids = _pool.Apply(ShapeFunctions.Pids, 3).ToList();
        Assert.Equal(3, pids.Count);
        Assert.DoesNotContain(Environment.ProcessId, pids);
        Assert.Contains(pids[0], _pool.LocalWorkerProcessIds);
        Assert.All(_pool.Map(ShapeFunctions.Pids, [2, 2]), list => Assert.DoesNotContain(Environment.ProcessId, list));
        Assert.Equal([0, 1, 2], _pool.Apply<List<int>>(ShapeFunctions.CountUp, 3)); // an IAsyncEnumerable, drained there
    }

    [Fact]
    public void FunctionsThatReturnNothingWorkWithEveryMethod()
    {
        var log = Path.GetTempFileName();
        try
        {
            _pool.Apply(ShapeFunctions.Touch, log);
            var results = _pool.Map(ShapeFunctions.Touch, [log, log]);
            Assert.Equal(2, results.Count);
            Assert.All(results, Assert.Null); // Python's map gives None for each
            Assert.Null(Assert.Single(_pool.IMap(ShapeFunctions.Touch, [log]).ToList()));
            Assert.Null(_pool.ApplyAsync(ShapeFunctions.Touch, log).Get(Patience));
            Assert.Equal(5, File.ReadAllLines(log).Length);
        }
        finally { File.Delete(log); }
    }

    [Fact]
    public void AnyNumberOfArgumentsAndStarMapOverArgumentLists()
    {
        Assert.Equal("1-b-2.5-4-True", _pool.Apply<string>(ShapeFunctions.Five, 1, "b", 2.5, 4L, true));
        Assert.Equal([21, 6], _pool.StarMap<int>(ShapeFunctions.Sum6, [[1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 1]]));
        Assert.Equal([21], _pool.StarMapAsync<int>(ShapeFunctions.Sum6, [[1, 2, 3, 4, 5, 6]]).Get(Patience));

        var count = Assert.Throws<ArgumentException>(() => _pool.Apply<string>(ShapeFunctions.Five, 1, "b"));
        Assert.Contains("takes 5 arguments, not 2", count.Message);
        var type = Assert.Throws<ArgumentException>(() => _pool.Apply<string>(ShapeFunctions.Five, "one", "b", 2.5, 4L, true));
        Assert.Contains("argument 0", type.Message);
        var result = Assert.Throws<ArgumentException>(() => _pool.Apply<int>(ShapeFunctions.Five, 1, "b", 2.5, 4L, true));
        Assert.Contains("returns String", result.Message);
    }
}
