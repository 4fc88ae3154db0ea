using System.Diagnostics;
using ClusterPool.Contracts.Launch;
using Microsoft.Extensions.Logging;

namespace ClusterPool.Workers;

/// <summary>
/// Worker processes started ahead for this program's next pool, so that <c>Pool.Start</c> adopts running ones instead
/// of starting its own (a second or more each). Programs make pools in a row (the seed's demo makes eight; a program
/// that is fixed and run again makes one per run of a cell). A spare has started its actor system and runs nothing of
/// the app's until a pool adopts it: each pool still gets clean processes, as Python's does. A spare serves only a
/// pool that would start its workers exactly so (the same executable, arguments and environment: <see cref="KeyOf"/>),
/// is kept for a while (<c>clusterpool.local-workers.spares.keep-for</c>) and never outlives this process: killed at
/// its exit, and its stdin pipe closes even if this process is killed.
/// </summary>
internal sealed class SpareWorkers
{
    /// <summary>This process's spares.</summary>
    public static SpareWorkers Shared { get; } = new();

    private sealed record Spare(LocalWorkerProcess Process, string Key);

    private readonly Lock _lock = new();
    private readonly List<Spare> _waiting = [];
    private readonly Dictionary<string, DateTime> _keptUntil = [];
    private readonly Dictionary<string, int> _launching = [];
    private readonly Timer _expiry;

    private SpareWorkers()
    {
        _expiry = new Timer(_ => KillExpired(), null, Timeout.Infinite, Timeout.Infinite);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    /// <summary>The process ids of the spares waiting now.</summary>
    public IReadOnlyList<int> ProcessIds
    {
        get { lock (_lock) return [.. _waiting.Select(s => s.Process.Id)]; }
    }

    /// <summary>The process ids of the spares launched as <paramref name="key"/> says that wait now: those a pool of
    /// that key would adopt.</summary>
    public IReadOnlyList<int> ProcessIdsOf(string key)
    {
        lock (_lock) return [.. _waiting.Where(s => s.Key == key).Select(s => s.Process.Id)];
    }

    /// <summary>
    /// What makes two worker launches the same: the executable, the arguments, the working folder and the whole
    /// environment of <paramref name="start"/> (a spare started for one pool's settings never serves another's).
    /// </summary>
    public static string KeyOf(ProcessStartInfo start) =>
        string.Join('\0', [start.FileName, start.WorkingDirectory, .. start.ArgumentList, "",
            .. start.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}")]);

    /// <summary>A waiting spare launched as <paramref name="key"/> says, handed to <paramref name="owner"/>; null when
    /// there is none.</summary>
    public LocalWorkerProcess? TryTake(string key, LocalWorkerProcess.Owner owner)
    {
        while (true)
        {
            Spare? spare;
            lock (_lock)
            {
                spare = _waiting.FirstOrDefault(s => s.Key == key);
                if (spare is null) return null;
                _waiting.Remove(spare);
            }
            if (spare.Process.HandTo(owner)) return spare.Process;
        }
    }

    /// <summary>
    /// Has <paramref name="count"/> spares launched as <paramref name="key"/> says wait from now for
    /// <paramref name="keepFor"/> (those waiting or being launched already count, and wait that long again); the
    /// missing ones are launched here, with <paramref name="start"/>, before this returns: a pool started right after
    /// finds them.
    /// </summary>
    public void Prepare(string key, int count, TimeSpan keepFor, WorkerLaunch launch, Func<ProcessStartInfo> start,
        ILogger log)
    {
        if (count <= 0 || keepFor <= TimeSpan.Zero) return;
        int missing;
        lock (_lock)
        {
            KeepUntil(key, DateTime.UtcNow + keepFor);
            missing = count - _waiting.Count(s => s.Key == key) - _launching.GetValueOrDefault(key);
            if (missing <= 0) return;
            _launching[key] = _launching.GetValueOrDefault(key) + missing;
        }
        OwnThreads.For(missing, 4, () =>
        {
            LocalWorkerProcess? spare = null;
            try { spare = LocalWorkerProcess.Start(launch, start(), LocalWorkerProcess.Owner.Waiting(Forget), log); }
            catch (WorkerStartException e) { log.LogDebug("a spare worker process did not start: {Reason}",
                e.Message); }
            finally
            {
                lock (_lock)
                {
                    _launching[key]--;
                    if (spare is not null) _waiting.Add(new Spare(spare, key));
                    _expiry.Change(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
                }
            }
        });
    }

    /// <summary>The spares launched as <paramref name="key"/> says wait <paramref name="keepFor"/> from now (a pool
    /// that ends).</summary>
    public void KeepWaiting(string key, TimeSpan keepFor)
    {
        lock (_lock)
            if (_waiting.Any(s => s.Key == key) || _launching.GetValueOrDefault(key) > 0) KeepUntil(
                key, DateTime.UtcNow + keepFor);
    }

    private void KeepUntil(string key, DateTime until)
    {
        if (!_keptUntil.TryGetValue(key, out var before) || before < until) _keptUntil[key] = until;
        _expiry.Change(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>A waiting spare exited by itself: it is no longer offered.</summary>
    private void Forget(LocalWorkerProcess process)
    {
        lock (_lock) _waiting.RemoveAll(s => s.Process == process);
        process.Release();
    }

    private void KillExpired()
    {
        List<Spare> expired;
        lock (_lock)
        {
            var now = DateTime.UtcNow;
            expired = [.. _waiting.Where(s => !_keptUntil.TryGetValue(s.Key, out var until) || until <= now)];
            foreach (var spare in expired) _waiting.Remove(spare);
            foreach (var key in _keptUntil.Where(k => k.Value <= now && _launching.GetValueOrDefault(k.Key) == 0)
                .Select(k => k.Key).ToList())
                _keptUntil.Remove(key);
            // Nothing waits and nothing is being launched: the timer sleeps until the next Prepare.
            if (_waiting.Count == 0 && _launching.Values.All(n => n == 0)) _expiry.Change(
                Timeout.Infinite, Timeout.Infinite);
        }
        Kill(expired);
    }

    /// <summary>Kills every waiting spare (at this process's exit; the bench, between suites).</summary>
    public void KillAll()
    {
        List<Spare> all;
        lock (_lock)
        {
            all = [.. _waiting];
            _waiting.Clear();
        }
        Kill(all);
    }

    private static void Kill(List<Spare> spares) =>
        LocalWorkerProcess.KillAsync(spares.Select(s => s.Process)).GetAwaiter().GetResult();
}
