using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// <c>pool.Share</c>: a value crosses to a machine once, whatever the number of tasks and worker processes; arrays are
/// mapped by every process from the machine's one copy; disposing frees it; bad use is named.
/// </summary>
public sealed class ShareTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("cp-share-").FullName;

    private PoolOptions Options(int processes = 2) => new()
    {
        Processes = processes,
        Config = $"clusterpool.worker.shared.directory = \"{_folder}\"",
    };

    private string MachineFolder => Path.Combine(_folder, $"clusterpool-shared-{Environment.UserName}");

    private static RateTable Rates() => new(new Dictionary<string, double[]>
    {
        ["EUR"] = [.. Enumerable.Range(0, 5000).Select(i => 0.01 + i * 1e-6)],
        ["USD"] = [.. Enumerable.Range(0, 5000).Select(i => 0.02 + i * 1e-6)],
    }, "test curves");

    [Fact]
    public void ASharedValueReachesEveryTaskAndCrossesToTheMachineOnce()
    {
        using var pool = Pool.Start(Options());
        var rates = Rates();
        using var table = pool.Share(rates);
        var items = Enumerable.Range(0, 200).Select(i => (table, i % 2 == 0 ? "EUR" : "USD", i * 7)).ToList();

        var results = pool.StarMap(ShareFunctions.RateAt, items, chunksize: 1);

        Assert.Equal(items.Select(i => rates.Curves[i.Item2][i.Item3]), results);
        Assert.All(pool.Map(ShareFunctions.SameObjectTwice, [table, table, table, table]), Assert.True);
        // 200 tasks on 2 processes: the value crossed once, to this one machine, and not with each task
        Assert.Equal(table.Size, pool.Statistics.SharedBytesSent);
        Assert.True(table.Size > 80_000, $"the table took {table.Size} bytes");
    }

    [Fact]
    public void ASharedArrayIsMappedByEveryProcessFromOneCopyAndDisposingFreesIt()
    {
        using var pool = Pool.Start(Options());
        var prices = Enumerable.Range(0, 1 << 20).Select(i => i * 0.5).ToArray();
        var shared = pool.Share(prices);
        Assert.Equal(prices.Length, shared.Length);
        prices[0] = -1; // the pool shares the array as it was

        // Both processes up before the tasks (a first worker may start alone, and run all 64 before the other is up).
        Assert.True(pool.WaitUntilReady(TimeSpan.FromSeconds(60)), "the pool's 2 workers did not register");
        var slices = Enumerable.Range(0, 64).Select(i => (shared, i * 16384, 16384)).ToList();
        var results = pool.StarMap(ShareFunctions.SliceSum, slices, chunksize: 1);

        var expected = slices.Select(s => Enumerable.Range(s.Item2, s.Item3).Sum(i => i * 0.5));
        Assert.Equal(expected, results.Select(r => r.Sum));
        Assert.Equal(2, results.Select(r => r.Pid).Distinct().Count()); // both processes read it
        Assert.Equal(8L << 20, pool.Statistics.SharedBytesSent); // 8 MiB, once for the machine
        var stored = Assert.Single(Directory.GetFiles(MachineFolder), f => !Path.GetFileName(f).Contains('.'));
        Assert.Equal(8L << 20, new FileInfo(stored).Length);

        shared.Dispose();
        Assert.True(shared.IsDisposed);
        Wait.For(() => !File.Exists(stored), TimeSpan.FromSeconds(10), "the machine's copy to go");
        var error = Assert.Throws<PayloadSerializationException>(() => pool.Map(ShareFunctions.Length, [shared]));
        Assert.Contains("disposed", error.Message);
        Assert.Throws<ObjectDisposedException>(() => shared.Span.Length);
    }

    [Fact]
    public void AHandleOfAnotherPoolIsNamedAndAValueThatCannotCrossIsRefusedAtShare()
    {
        using var pool = Pool.Start(Options(processes: 1));
        RateTable rates = Rates();
        using (var other = Pool.Start(Options(processes: 1)))
        {
            var foreign = other.Share(rates);
            var error = Assert.ThrowsAny<Exception>(() => pool.Map(ShareFunctions.SameObjectTwice, [foreign]));
            Assert.Contains("another pool", error.Message);
        }
        var refused = Assert.Throws<PayloadSerializationException>(() => pool.Share(new Action(() => { })));
        Assert.Contains("Action", refused.Message);
    }

    [Fact]
    public void ClosingThePoolFreesItsValuesOnTheMachine()
    {
        var pool = Pool.Start(Options());
        var shared = pool.Share(Enumerable.Range(0, 100_000).Select(i => (double)i).ToArray());
        Assert.Equal(4950.0, pool.Apply(ShareFunctions.SliceSum, shared, 0, 100).Sum);
        Assert.NotEmpty(Directory.GetFiles(MachineFolder));
        pool.Close();
        pool.Join();
        Assert.True(shared.IsDisposed);
        Wait.For(() => Directory.GetFiles(MachineFolder), files => files.Length == 0, TimeSpan.FromSeconds(10));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
