using System.Diagnostics;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>A caller's CancellationToken drops queued work and reaches the running function's own token.</summary>
[Collection("shared pool")]
public class CancellationTests(SharedPool shared)
{
    private readonly Pool _pool = shared.Pool;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void CancellingTheCallCancelsTheRunningFunctionsToken()
    {
        var marker = Path.GetTempFileName();
        try
        {
            using var cancel = new CancellationTokenSource();
            var call = _pool.ApplyAsync(FaultyFunctions.WaitForCancel, marker, cancellationToken: cancel.Token);
            Assert.True(SpinWait.SpinUntil(() => Read(marker) == "started", Patience), "the task never started");
            var clock = Stopwatch.StartNew();
            cancel.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => call.Get(Patience));
            Assert.True(SpinWait.SpinUntil(() => Read(marker) == "cancelled", TimeSpan.FromSeconds(5)),
                $"the function's token was not cancelled: it wrote \"{Read(marker)}\"");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
            Assert.Equal(shared.WorkerPids.Order(), _pool.LocalWorkerProcessIds.Order()); // cooperative: no worker recycled
        }
        finally { File.Delete(marker); }
    }

    [Fact]
    public void CancellingAStarMapDropsItsQueuedItems()
    {
        var log = Path.GetTempFileName();
        try
        {
            using var cancel = new CancellationTokenSource();
            var call = _pool.StarMapAsync(FaultyFunctions.StartAndSleep, Enumerable.Range(0, 60).Select(x => (x, log)), chunksize: 1,
                cancellationToken: cancel.Token);
            Assert.True(SpinWait.SpinUntil(() => Lines(log) >= 2, Patience));
            cancel.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => call.Get(Patience));
            var atCancel = Lines(log);
            Thread.Sleep(1500); // 60 items of 300 ms on 2 workers would take 9 s: nothing more may start now
            Assert.InRange(Lines(log), atCancel, atCancel + 2);
            Assert.True(Lines(log) < 15, $"{Lines(log)} of 60 items started after the call was cancelled");
            Assert.Equal([1, 4], _pool.Map(TestFunctions.Square, [1, 2])); // the slots are free again
        }
        finally { File.Delete(log); }
    }

    private static string Read(string path)
    {
        try { return File.ReadAllText(path); } catch (IOException) { return ""; }
    }

    private static int Lines(string path)
    {
        try { return File.ReadAllLines(path).Length; } catch (IOException) { return 0; }
    }
}
