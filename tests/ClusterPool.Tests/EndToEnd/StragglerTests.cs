using System.Diagnostics;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// Backup copies of straggling chunks (<see cref="PoolOptions.Speculation"/>) with real worker processes: a Map whose
/// one item is slow on its first run ends long before that run would, with every result once, counted in the
/// statistics and on the dashboard; a backup skips what its first copy delivered, and the first copy stops at its next
/// item; a call that asks for none waits for the straggler.
/// </summary>
public sealed class StragglerTests : IDisposable
{
    private const double StragglerSeconds = 8;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("clusterpool-straggler-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private List<(int, (int, double, double), string)> Items(int count, int slowItem, double slow, double normal) =>
        [.. Enumerable.Range(0, count).Select(i => (i, (slowItem, slow, normal), _folder))];

    private int Runs(int item) => File.ReadAllLines(Path.Combine(_folder, $"ran-{item}")).Length;

    [Fact]
    public void WithSpeculationAMapEndsWithoutWaitingForItsStragglerAndEachResultArrivesOnce()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 3, Speculation = true, Dashboard = "127.0.0.1:0" });
        Assert.True(pool.WaitUntilReady(Patience));

        var clock = Stopwatch.StartNew();
        var results = pool.StarMap(StragglerFunctions.SlowOnce, Items(40, 0, StragglerSeconds, 0.05), chunksize: 1);
        clock.Stop();

        Assert.Equal(Enumerable.Range(0, 40).Select(i => i * 2), results);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(StragglerSeconds - 2),
            $"the map took {clock.Elapsed.TotalSeconds:0.0} s: it waited for its straggler");
        var statistics = pool.Statistics;
        Assert.Equal((1L, 1L), (statistics.BackupCopiesStarted, statistics.BackupCopiesWon));
        Assert.True(statistics.BackupTimeSaved > TimeSpan.Zero, $"saved {statistics.BackupTimeSaved}");
        // Item 0's backup ran it (the straggler still sleeps, its result to be dropped); every other item ran once.
        Assert.All(Enumerable.Range(0, 40), i => Assert.Equal(1, Runs(i)));

        var page = DashboardPage.Read(pool.DashboardAddress!);
        Assert.True(page.Loaded, $"the page never drew a state:\n{page.Html}");
        Assert.Equal((1.0, 1.0), (page.Number("backup-copies-started"), page.Number("backup-copies-won")));
        Assert.True(page.Number("backup-time-saved") > 0);
    }

    [Fact]
    public void ABackupSkipsWhatItsFirstCopyDeliveredAndTheFirstCopyStopsAtItsNextItem()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 3, Speculation = true });
        Assert.True(pool.WaitUntilReady(Patience));

        // Chunks of 5 items of 0.6 s: items 0 and 1 of the first chunk are sent after 1.2 s (results go every second),
        // then item 2 straggles for 7 s; the other chunks end at 3 s, and it straggles from 4.5 s (1.5 times 3 s): its
        // backup runs items 2 to 4 by about 6.5 s, while the first copy still sleeps.
        var results = pool.StarMap(StragglerFunctions.SlowOnce, Items(15, 2, 7, 0.6), chunksize: 5);

        Assert.Equal(Enumerable.Range(0, 15).Select(i => i * 2), results);
        Assert.Equal(1L, pool.Statistics.BackupCopiesWon);
        Assert.Equal((1, 1), (Runs(0), Runs(1)));       // the backup started at item 2
        Wait.For(() => File.Exists(Path.Combine(_folder, "slow-done")), what: "the straggling item to wake");
        Thread.Sleep(1500);                               // it would have run item 3 (0.6 s) by now, had it gone on
        Assert.Equal([2, 1, 1], new[] { Runs(2), Runs(3), Runs(4) });
    }

    [Fact]
    public void AStragglerKilledWhileItsBackupRunsCostsNoResultAndNoItemRunsTwice()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 3, Speculation = true });
        Assert.True(pool.WaitUntilReady(Patience));

        var map = pool.StarMapAsync(StragglerFunctions.SlowFirstThenSteady,
            Enumerable.Range(0, 40).Select(i => (i, _folder)), chunksize: 1);
        Wait.For(() => pool.Statistics.BackupCopiesStarted == 1, what: "a backup copy of item 0");
        Process.GetProcessById(int.Parse(File.ReadAllText(Path.Combine(_folder, "slow-pid")))).Kill();

        Assert.Equal(Enumerable.Range(0, 40).Select(i => i * 2), map.Get(Patience));
        var statistics = pool.Statistics;
        Assert.Equal(1, statistics.WorkersLost);
        // the backup went on: item 0 ran once to its end (in the backup), and no item twice
        Assert.All(Enumerable.Range(0, 40), i => Assert.Equal(1, Runs(i)));
    }

    [Fact]
    public void ACallThatAsksForNoBackupWaitsForItsStraggler()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 3, Speculation = true });
        Assert.True(pool.WaitUntilReady(Patience));

        var clock = Stopwatch.StartNew();
        var results = pool.With(new CallOptions { Speculative = false })
            .StarMap(StragglerFunctions.SlowOnce, Items(40, 0, StragglerSeconds, 0.05), chunksize: 1);

        Assert.Equal(Enumerable.Range(0, 40).Select(i => i * 2), results);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(StragglerSeconds),
            $"the map took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(0L, pool.Statistics.BackupCopiesStarted);
    }
}
