namespace ClusterPool.Calls;

/// <summary>What one call runs with, from <see cref="PoolOptions"/> and the call's <see cref="CallOptions"/>.</summary>
/// <param name="TaskTimeout">How long one item may run; <see cref="TimeSpan.Zero"/> for no limit.</param>
/// <param name="OnTimeout">What a timed-out item yields instead of failing the call, or null to fail it.</param>
/// <param name="Name">The call's name in the checkpoint, or null for one made from the function's name.</param>
/// <param name="Progress">Hears the call's progress reports, or null.</param>
/// <param name="Speculative">True when straggling chunks get backup copies
/// (<see cref="PoolOptions.Speculation"/>).</param>
internal sealed record CallSettings(TimeSpan TaskTimeout, Func<TaskTimeoutException, object?>? OnTimeout,
    string? Name = null,
    IProgress<CallProgress>? Progress = null, bool Speculative = false)
{
    public static readonly CallSettings Default = new(TimeSpan.Zero, null);
}
