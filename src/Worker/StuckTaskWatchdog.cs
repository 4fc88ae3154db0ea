using System.Diagnostics;
using Akka.Actor;
using ClusterPool.Contracts.Messages;

namespace ClusterPool.Worker;

/// <summary>
/// A slot's watchdog (a timer, ten times a second, once a chunk needs one): a task that ignores its cancelled token
/// past the stuck-task grace, after its timeout or after its call was cancelled. .NET cannot stop a thread safely, so
/// the process hands back everything and is recycled; a timed-out item is reported as such first.
/// </summary>
internal sealed class StuckTaskWatchdog(
    CurrentChunk current, TimeSpan stuckGrace, ResultSender sender, ResultOutbox outbox, WorkerErrors errors,
    IActorRef coordinator, IActorRef slot) : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    private Timer? _timer;

    /// <summary>Starts watching (once; it watches until disposed).</summary>
    public void Start() => _timer ??= new Timer(_ => Check(), null, Period, Period);

    public void Dispose() => _timer?.Dispose();

    private void Check()
    {
        CheckCancelledButRunning();
        CheckPastTimeout();
    }

    /// <summary>An item past its timeout and its grace: reported as timed out, then the process is recycled.</summary>
    private void CheckPastTimeout()
    {
        if (current.Item is not { } item || item.Chunk.TaskTimeout <= TimeSpan.Zero) return;
        var chunk = item.Chunk;
        if (item.Elapsed < chunk.TaskTimeout + stuckGrace || !item.TryAbandon()) return;
        var timedOut = errors.Timeout(chunk.TaskTimeout, recycled: true);
        sender.Send(chunk, item.Results, item.Offset, timedOut, Stopwatch.StartNew());
        outbox.Flush();
        Recycle($"item {chunk.FirstIndex + item.Offset} of {chunk.Function.DisplayName} ignored its timeout " +
                $"({chunk.TaskTimeout.TotalSeconds:0.###} s) for {stuckGrace.TotalSeconds:0.###} s more; " +
                $"worker process {errors.Pid} is recycled to stop it");
    }

    /// <summary>
    /// The running chunk's call was cancelled (Get timed out and the caller cancelled, an IMap iterator was disposed)
    /// longer than the stuck-task grace ago, and its task still runs, ignoring its token. The call wants no result; the
    /// process is recycled so that nothing waits behind that task.
    /// </summary>
    private void CheckCancelledButRunning()
    {
        if (current.CancelledFor is not { } cancelledFor || cancelledFor < stuckGrace) return;
        if (current.Chunk is not { } chunk) return;
        if (!current.TryAbandon()) return;
        current.Item?.TryAbandon();
        Recycle($"a task of {chunk.Function.DisplayName} went on for {stuckGrace.TotalSeconds:0.###} s after its " +
                $"call was cancelled; worker process {errors.Pid} is recycled to stop it");
    }

    private void Recycle(string reason)
    {
        // From the slot, after any timeout result: the coordinator must see that result before it re-queues this
        // process's work.
        coordinator.Tell(new Recycling(errors.Pid, reason), slot);
        slot.Tell(new WorkerSlot.Stuck(reason));
    }
}
