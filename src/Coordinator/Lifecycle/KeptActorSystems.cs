using Akka.Actor;
using ClusterPool.Contracts.Configuration;
using Microsoft.Extensions.Logging;

namespace ClusterPool.Lifecycle;

/// <summary>
/// The actor system of this program's last pool, kept for its next one. Programs make pools in a row (the seed's demo
/// makes eight), and a pool's own actor system took 17-28 ms to start even warm; the spares waiting for the next pool
/// are connected to it already (<see cref="Workers.SpareWorkers"/>), and would otherwise connect to a new one. Only a
/// pool that listens on a loopback port of its own choosing and has only its own workers hands its system on: nothing
/// outside this program knows that address. Each pool still has its own coordinator actor and its own, clean, worker
/// processes; the system is only where they talk. It is kept as long as spares are
/// (<c>clusterpool.local-workers.spares.keep-for</c>), then terminated, and never outlives the program (its threads
/// are background threads).
/// </summary>
internal sealed class KeptActorSystems
{
    /// <summary>This process's.</summary>
    public static KeptActorSystems Shared { get; } = new();

    /// <summary>A kept system; <paramref name="Until"/> in <see cref="Environment.TickCount64"/> milliseconds (a
    /// clock that no change of the wall clock moves).</summary>
    private sealed record Kept(ActorSystem System, string Address, string Key, ILoggerFactory Logging, long Until);

    /// <summary>The longest a timer waits at once; a longer keep-for waits again for what is left.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly Lock _gate = new();
    private readonly Timer _expiry;
    private Kept? _kept;

    internal KeptActorSystems() =>
        _expiry = new Timer(_ => TerminateExpired(), null, Timeout.Infinite, Timeout.Infinite);

    /// <summary>
    /// What a pool's actor system is made of besides its port: the configuration it is built from (the pool's
    /// override and <c>CLUSTERPOOL_CONFIG</c>). Null for a pool that cannot hand its system on or adopt one: one with a
    /// <see cref="PoolOptions.ListenAddress"/> (others may know it), a certificate, or a cluster to be part of.
    /// </summary>
    public static string? KeyOf(PoolOptions options, bool clusterMode) =>
        options.ListenAddress is not null || options.Certificate is not null || clusterMode ? null
            : string.Join('\0', options.Config ?? "",
                Environment.GetEnvironmentVariable(PoolConfig.EnvironmentVariable) ?? "");

    /// <summary>The kept system, if it was made from <paramref name="key"/> and logs to <paramref name="logging"/>,
    /// with the <c>HOST:PORT</c> it listens on; it is the caller's from here on. Null when there is none.</summary>
    public (ActorSystem System, string Address)? TryTake(string key, ILoggerFactory logging)
    {
        lock (_gate)
        {
            if (_kept is not { } kept || kept.Key != key || !ReferenceEquals(kept.Logging, logging)) return null;
            _kept = null;
            _expiry.Change(Timeout.Infinite, Timeout.Infinite);
            return IsStopping(kept.System) ? null : (kept.System, kept.Address);
        }
    }

    /// <summary>
    /// Keeps <paramref name="system"/> (a pool's that has ended: its coordinator stopped, its workers gone) for
    /// <paramref name="keepFor"/>, for the next pool made from <paramref name="key"/>. One system is kept at a time:
    /// one kept before is terminated.
    /// </summary>
    public void Keep(ActorSystem system, string address, string key, ILoggerFactory logging, TimeSpan keepFor)
    {
        Kept? before;
        lock (_gate)
        {
            before = _kept;
            _kept = new Kept(system, address, key, logging,
                Environment.TickCount64 + (long)Math.Min(keepFor.TotalMilliseconds, long.MaxValue / 2));
            WaitAtMost(keepFor);
        }
        before?.System.Terminate();
    }

    /// <summary>Whether <paramref name="system"/> is the one kept now.</summary>
    public bool IsKeeping(ActorSystem system)
    {
        lock (_gate) return _kept?.System == system;
    }

    private void TerminateExpired()
    {
        Kept? expired;
        lock (_gate)
        {
            if (_kept is not { } kept) return;
            // Early by a clock tick, or a keep that came after the timer fired: wait for what is left.
            var left = kept.Until - Environment.TickCount64;
            if (left > 0)
            {
                WaitAtMost(TimeSpan.FromMilliseconds(left));
                return;
            }
            (expired, _kept) = (kept, null);
        }
        expired.System.Terminate();
    }

    private void WaitAtMost(TimeSpan wait) =>
        _expiry.Change(wait < LongestWait ? wait : LongestWait, Timeout.InfiniteTimeSpan);

    private static bool IsStopping(ActorSystem system) =>
        system.WhenTerminated.IsCompleted || CoordinatedShutdown.Get(system).ShutdownReason is not null;
}
