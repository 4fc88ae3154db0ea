using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace ClusterPool.Contracts.Configuration;

/// <summary>
/// Akka's scheduler on .NET's own timer queue (<c>akka.scheduler.implementation</c> in <c>hocon/shared.hocon</c>).
/// Akka's default, a hashed wheel, wakes a thread-pool thread every <c>tick-duration</c> (10 ms) whether or not
/// anything is due: about 3 % of a core in every idle ClusterPool process, a worker pool's idle cost multiplied by its
/// size. .NET's timer thread sleeps until the next timer is due, so an idle process wakes only for what it scheduled
/// (heartbeats, retries), and a timer fires to the millisecond instead of to the next tick.
/// </summary>
internal sealed class TimerQueueScheduler : SchedulerBase, IDateTimeOffsetNowTimeProvider, IDisposable
{
    private readonly ConcurrentDictionary<Timer, byte> _timers = new();
    private volatile bool _disposed;

    /// <summary>Called by Akka with the system's configuration (<c>akka.scheduler</c>) and its log.</summary>
    public TimerQueueScheduler(Config scheduler, ILoggingAdapter log) : base(scheduler, log) { }

    /// <inheritdoc />
    protected override DateTimeOffset TimeNow => DateTimeOffset.UtcNow;

    /// <inheritdoc />
    public override TimeSpan MonotonicClock => AkkaClock.Elapsed();

    /// <inheritdoc />
    public override TimeSpan HighResMonotonicClock => AkkaClock.ElapsedHighRes();

    /// <summary>
    /// Akka's own monotonic clock (internal to Akka), so that deadlines this scheduler reports compare with the ones
    /// Akka's code takes from that clock directly.
    /// </summary>
    private static class AkkaClock
    {
        private static readonly Type Clock = typeof(ActorSystem).Assembly.GetType(
            "Akka.Util.MonotonicClock", throwOnError: true)!;
        public static readonly Func<TimeSpan> Elapsed = Getter("Elapsed");
        public static readonly Func<TimeSpan> ElapsedHighRes = Getter("ElapsedHighRes");

        private static Func<TimeSpan> Getter(string name) =>
            Clock.GetProperty(
                name,
                System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic
                | System.Reflection.BindingFlags.Static)!
                .GetMethod!.CreateDelegate<Func<TimeSpan>>();
    }

    /// <inheritdoc />
    protected override void InternalScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message,
        IActorRef sender, ICancelable cancelable) =>
        Schedule(delay, Timeout.InfiniteTimeSpan, () => receiver.Tell(message, sender), cancelable);

    /// <inheritdoc />
    protected override void InternalScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver,
        object message, IActorRef sender, ICancelable cancelable) =>
        Schedule(initialDelay, interval, () => receiver.Tell(message, sender), cancelable);

    /// <inheritdoc />
    protected override void InternalScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable) =>
        Schedule(delay, Timeout.InfiniteTimeSpan, action, cancelable);

    /// <inheritdoc />
    protected override void InternalScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable) =>
        Schedule(delay, Timeout.InfiniteTimeSpan, action.Run, cancelable);

    /// <inheritdoc />
    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action,
        ICancelable cancelable) =>
        Schedule(initialDelay, interval, action, cancelable);

    /// <inheritdoc />
    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action,
        ICancelable cancelable) =>
        Schedule(initialDelay, interval, action.Run, cancelable);

    private void Schedule(TimeSpan delay, TimeSpan interval, Action action, ICancelable? cancelable)
    {
        if (_disposed || cancelable?.IsCancellationRequested == true) return;
        var once = interval == Timeout.InfiniteTimeSpan;
        Timer? timer = null;
        timer = new Timer(_ =>
        {
            if (_disposed || cancelable?.IsCancellationRequested == true) { Forget(timer!); return; }
            if (once) Forget(timer!);
            try { action(); }
            catch (SchedulerException) { /* the receiver is gone: nothing to do */ }
            catch (Exception e) { Log.Error(e, "a scheduled action failed"); }
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timers[timer] = 0;
        // Cancelling forgets the timer at once: a cancelled long timeout does not stay queued until it would have
        // fired.
        if (cancelable is not null) cancelable.Token.Register(() => Forget(timer));
        timer.Change(Clamp(delay), once ? Timeout.InfiniteTimeSpan : Clamp(interval));
    }

    // System.Threading.Timer takes at most about 49 days; Akka allows longer (a timeout "for ever").
    private static TimeSpan Clamp(TimeSpan value) =>
        value < TimeSpan.Zero ? TimeSpan.Zero : value > TimeSpan.FromDays(49) ? TimeSpan.FromDays(49) : value;

    private void Forget(Timer timer)
    {
        if (_timers.TryRemove(timer, out _)) timer.Dispose();
    }

    /// <summary>Stops every timer: nothing scheduled runs after the actor system is gone.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var timer in _timers.Keys) Forget(timer);
    }
}
