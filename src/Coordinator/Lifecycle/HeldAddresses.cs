using System.Collections.Concurrent;
using Akka.Actor;

namespace ClusterPool.Lifecycle;

/// <summary>
/// The addresses this process's pools listen on, until their actor systems have stopped. A pool binds its address
/// alone (a second pool there fails to start), but <see cref="Pool.Terminate"/> returns before its actor system has
/// let go of the port (it finishes stopping in the background): a program that starts the next pool on the same
/// <see cref="PoolOptions.ListenAddress"/> at once waits here for the last one to let go, instead of failing.
/// </summary>
internal static class HeldAddresses
{
    /// <summary>Longer than an actor system takes to stop once terminated (its cluster phases time out at 2 s
    /// each).</summary>
    private static readonly TimeSpan LetGoWithin = TimeSpan.FromSeconds(10);

    private static readonly ConcurrentDictionary<string, ActorSystem> Holders = new();

    /// <summary>Records that <paramref name="system"/> (a pool's) listens on <paramref name="address"/> until it
    /// stops.</summary>
    public static void Hold(string address, ActorSystem system)
    {
        Holders[address] = system;
        system.WhenTerminated.ContinueWith(
            _ => Holders.TryRemove(new KeyValuePair<string, ActorSystem>(address, system)), TaskScheduler.Default);
    }

    /// <summary>
    /// Waits (at most <see cref="LetGoWithin"/>) until no pool of this process that is stopping holds
    /// <paramref name="address"/>; returns at once when none does. A pool that still runs there is not waited for:
    /// the bind then fails, naming the address. <paramref name="cancel"/> ends the wait at once
    /// (<see cref="OperationCanceledException"/>).
    /// </summary>
    public static void WaitUntilLetGo(string address, CancellationToken cancel)
    {
        if (Holders.TryGetValue(address, out var system)
            && CoordinatedShutdown.Get(system).ShutdownReason is not null)
            system.WhenTerminated.Wait(LetGoWithin, cancel);
    }
}
