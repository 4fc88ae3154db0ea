namespace ClusterPool;

/// <summary>
/// Settings for the calls made through <see cref="Pool.With"/>: <c>pool.With(new CallOptions { TaskTimeout = ...
/// }).Map(...)</c>. Unset values fall back to the pool's (<see cref="PoolOptions"/>).
/// </summary>
public sealed class CallOptions
{
    /// <summary>
    /// How long one item may run. At the deadline the task's <see cref="CancellationToken"/> (a function's last
    /// parameter, when it takes one) is cancelled; a function that ignores it is stopped by recycling its worker
    /// process after <c>clusterpool.stuck-task-grace</c>. The item then fails with a <see cref="TaskTimeoutException"/>
    /// naming it, or yields <see cref="OnTimeout"/>'s value. Default: <see cref="PoolOptions.TaskTimeout"/>.
    /// </summary>
    public TimeSpan? TaskTimeout { get; init; }

    /// <summary>
    /// When set, a timed-out item yields this function's value (of the call's result type, or null for its default)
    /// instead of failing the call, and the call goes on. It runs in this process, with the item's timeout error. A
    /// value of another type fails its item with an <see cref="InvalidCastException"/> naming this option and both
    /// types; a method declared to return a type the results can never be is refused when the call is made
    /// (<see cref="ArgumentException"/>).
    /// </summary>
    public Func<TaskTimeoutException, object?>? OnTimeout { get; init; }

    /// <summary>
    /// The call's name in the checkpoint (<see cref="PoolOptions.Checkpoint"/>). Default: the function's name, numbered
    /// from its second call in the pool. A name whose stored results another function made is refused
    /// (<see cref="CheckpointMismatchException"/>): pass a new one to start afresh.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>
    /// Backup copies of straggling chunks for these calls (see <see cref="PoolOptions.Speculation"/>): true or false
    /// whatever the pool's setting. Default: the pool's.
    /// </summary>
    public bool? Speculative { get; init; }

    /// <summary>
    /// Hears how far each call has come (<see cref="CallProgress"/>: done, failed, total when known, rate, ETA), at
    /// most every 100 ms while it runs and once when it is over. A <see cref="Progress{T}"/> made on a UI thread
    /// reports there.
    /// </summary>
    public IProgress<CallProgress>? Progress { get; init; }
}
