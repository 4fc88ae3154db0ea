using System.Collections.Concurrent;
using System.Diagnostics;
using ClusterPool.Calls;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class ProgressTrackerTests
{
    [Fact]
    public void AThousandChangesInAFlashMakeAFewReportsAndTheLastOneSaysItAll()
    {
        var tracker = new ProgressTracker(1000);
        var heard = new ConcurrentQueue<CallProgress>();
        tracker.Subscribe(heard.Enqueue);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 999; i++) tracker.ItemsDone(1);
        tracker.ItemFailed();
        tracker.Finish();
        Wait.For(() => heard.Any(p => p.Finished));
        var elapsed = clock.Elapsed;
        Assert.InRange(heard.Count, 1, 3 + (int)(elapsed.TotalMilliseconds / 100)); // throttled to one per 100 ms, plus the last
        var last = heard.Last(p => p.Finished);
        Assert.Equal((999L, 1L, 1000L), (last.Done, last.Failed, last.Total!.Value));
    }

    [Fact]
    public void AChangeAfterAQuietSpellIsReportedWithinTheInterval()
    {
        var tracker = new ProgressTracker(null);
        var heard = new ConcurrentQueue<CallProgress>();
        tracker.Subscribe(heard.Enqueue);
        tracker.ItemsDone(1);
        Wait.For(() => heard.Count == 1);
        tracker.ItemsDone(1); // within 100 ms of the first report: held back, then sent
        Wait.For(() => heard.Any(p => p.Done == 2));
        Assert.Contains(heard, p => p.Done == 2 && p.Total is null && !p.Finished);
        tracker.SetTotal(2);
        Wait.For(() => heard.Any(p => p.Total == 2));
        Assert.Contains(heard, p => p.Total == 2);
    }

    [Fact]
    public void AListenerThatThrowsIsDroppedAndOneAddedLateHearsTheEnd()
    {
        var tracker = new ProgressTracker(1);
        var calls = 0;
        tracker.Subscribe(_ => { Interlocked.Increment(ref calls); throw new InvalidOperationException("a broken listener"); });
        // A report goes to every listener in turn, in the order they were added: once the witness has heard the end,
        // the broken listener, ahead of it, would have heard it too had it not been dropped.
        var witness = new ConcurrentQueue<CallProgress>();
        tracker.Subscribe(witness.Enqueue);
        tracker.ItemsDone(1);
        Wait.For(() => witness.Any(p => p.Done == 1));
        Assert.Equal(1, Volatile.Read(ref calls));
        tracker.Finish();
        Wait.For(() => witness.Any(p => p.Finished));
        Assert.Equal(1, Volatile.Read(ref calls));
        var late = new TaskCompletionSource<CallProgress>();
        tracker.Subscribe(p => late.TrySetResult(p));
        Assert.True(late.Task.Wait(TimeSpan.FromSeconds(5)));
        Assert.True(late.Task.Result.Finished);
    }

    [Fact]
    public void AFinishedCallsElapsedTimeAndRateStayPut()
    {
        var tracker = new ProgressTracker(2);
        tracker.ItemsDone(2);
        tracker.Finish();
        var atEnd = tracker.Snapshot();
        Thread.Sleep(50);
        var later = tracker.Snapshot();
        Assert.True(later.Finished);
        Assert.Equal(atEnd.Elapsed, later.Elapsed);
        Assert.Equal(atEnd.Rate, later.Rate);
    }

    /// <summary>
    /// The end is reported once: a report queued by the last items ran after the end and reported it as well, so code
    /// that closes a progress bar on Finished ran twice.
    /// </summary>
    [Fact]
    public void TheEndIsReportedOnceEvenWhenTheLastItemsReportIsStillQueued()
    {
        for (var round = 0; round < 20; round++)
        {
            var tracker = new ProgressTracker(2);
            var heard = new ConcurrentQueue<CallProgress>();
            tracker.Subscribe(heard.Enqueue);
            tracker.ItemsDone(1);
            Wait.For(() => !heard.IsEmpty);
            tracker.ItemsDone(1); // within 100 ms of the first report: queued for later, when the call is over
            tracker.Finish();
            Wait.For(() => heard.Any(p => p.Finished));
            Thread.Sleep(150); // the queued report's time has come
            Assert.Equal(1, heard.Count(p => p.Finished));
        }
    }

    /// <summary>
    /// One handler on two results hears each with its own result as the sender: the handler alone keyed one table for
    /// all results, so the first result was every later one's sender, and stayed alive for good.
    /// </summary>
    [Fact]
    public void OneHandlerOnTwoResultsHearsEachWithItsOwnSenderAndRemovingItStopsIt()
    {
        var (first, second) = (new ProgressTracker(1), new ProgressTracker(1));
        var a = new AsyncResult<int>(Task.FromResult(1), first);
        var b = new AsyncResult<int>(Task.FromResult(2), second);
        var heard = new ConcurrentQueue<(object? Sender, CallProgress Progress)>();
        a.ProgressChanged += Handler;
        b.ProgressChanged += Handler;
        second.ItemsDone(1);
        Wait.For(() => !heard.IsEmpty);
        Assert.Same(b, Assert.Single(heard).Sender);
        b.ProgressChanged -= Handler;
        a.ProgressChanged -= Handler;
        first.ItemsDone(1);
        second.Finish();
        Thread.Sleep(200);
        Assert.Single(heard);
        GC.KeepAlive(a);

        void Handler(object? sender, CallProgress progress) => heard.Enqueue((sender, progress));
    }

    /// <summary>
    /// An iterator disposed inside <c>await foreach</c> throws there as <c>Next</c> and <c>foreach</c> do: the results
    /// already waiting went on coming, and the loop then ended as if the call had finished.
    /// </summary>
    [Fact]
    public async Task AwaitForeachOverADisposedIteratorThrowsInsteadOfEndingAsIfDone()
    {
        var output = new StreamOutput<int>(ordered: false);
        for (var i = 0; i < 5; i++) output.Deliver(i, i);
        var iterator = new IMapIterator<int>(output, new AheadGate(100), () => { }, new ProgressTracker(10));
        var seen = new List<int>();
        await Assert.ThrowsAsync<OperationCanceledException>(async () =>
        {
            await foreach (var value in iterator)
            {
                seen.Add(value);
                if (seen.Count == 2) iterator.Dispose();
            }
        });
        Assert.Equal(2, seen.Count);
    }
}
