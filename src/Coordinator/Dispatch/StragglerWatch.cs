using System.Diagnostics;
using ClusterPool.Contracts;

namespace ClusterPool.Dispatch;

/// <summary>
/// Finds the chunks that straggle at the tail of the work and picks an idle slot for a backup copy of each: the
/// MapReduce paper's backup tasks, Spark's <c>spark.speculation</c>. A chunk straggles when it has run
/// <see cref="SpeculationSettings.Multiplier"/> times as long as its call's typical chunk of its size (the median time
/// per item of the call's finished chunks, so that the slow machine's own chunks do not set the norm), or at once when
/// the machine it runs on has finished the call's chunks that many times slower than the norm (LATE's slow nodes,
/// Zaharia et al. 2008: its chunk will straggle, and its backup saves the most if it starts now, before the minimum
/// runtime). The longest
/// overrun goes first; its copy goes to an idle slot on another machine than the one it straggles on, preferring a
/// machine where nothing straggles (a slow machine is slow for its backups too). Plain class, driven by the
/// coordinator actor only.
/// </summary>
internal sealed class StragglerWatch(SpeculationSettings settings)
{
    // below this many finished chunks of its own, a call is judged by its function's
    private const int CallSamplesNeeded = 3;
    // a machine is judged slow for a call once it has finished this many of its chunks
    private const int HostSamplesNeeded = 2;
    private readonly Dictionary<long, Pace> _byCall = [];
    private readonly Dictionary<(long CallId, string Host), Pace> _byHost = [];
    private readonly Dictionary<FunctionKey, Pace> _byFunction = [];

    /// <summary>A chunk of a speculative call finished on <paramref name="slot"/>: <paramref name="items"/> items ran
    /// in <paramref name="seconds"/>.</summary>
    public void Record(long callId, FunctionRef function, Slot slot, int items, double seconds)
    {
        if (items <= 0) return;
        var perItem = seconds / items;
        PaceOf(_byCall, callId).Add(perItem);
        PaceOf(_byFunction, FunctionKey.Of(function)).Add(perItem);
        PaceOf(_byHost, (callId, slot.Machine)).Add(perItem);
    }

    /// <summary>The call is over.</summary>
    public void ForgetCall(long callId)
    {
        _byCall.Remove(callId);
        foreach (var key in _byHost.Keys.Where(k => k.CallId == callId).ToList()) _byHost.Remove(key);
    }

    /// <summary>The typical seconds per item of the call's chunks, or null while nothing of it (or of its function)
    /// has finished.</summary>
    public double? SecondsPerItem(long callId, FunctionRef function) =>
        _byCall.TryGetValue(callId, out var call) && call.Count >= CallSamplesNeeded ? call.Median()
        : _byFunction.TryGetValue(FunctionKey.Of(function), out var byFunction) ? byFunction.Median() : null;

    /// <summary>The backup copies to start now: each straggling chunk of a call that
    /// <paramref name="speculative"/> says asks for them, with the idle slot to run it.</summary>
    /// <param name="running">What each slot runs now (<see cref="InFlightTable.Running"/>).</param>
    /// <param name="idle">Slots that run nothing and take work.</param>
    /// <param name="speculative">Whether a call (by id) asks for backup copies.</param>
    /// <param name="now">The time now (a <see cref="Stopwatch"/> timestamp).</param>
    public List<(InFlight Entry, Slot Slot)> Plan(List<(InFlight Entry, ChunkCopy Copy, long Since)> running,
        IReadOnlyCollection<Slot> idle, Func<long, bool> speculative, long now)
    {
        if (idle.Count == 0) return [];
        var stragglers = new List<(InFlight Entry, double Overrun)>();
        foreach (var (entry, copy, since) in running)
        {
            if (copy != entry.First || entry.Backup is not null || entry.BackupSpent || entry.Suspect) continue;
            if (entry.Delivered >= entry.Chunk.Count || !speculative(entry.Chunk.CallId)) continue;
            if (SecondsPerItem(entry.Chunk.CallId, entry.Chunk.Function) is not { } perItem) continue;
            var elapsed = Stopwatch.GetElapsedTime(since, now).TotalSeconds;
            var items = entry.Chunk.Count - copy.StartAt;
            var expected = perItem * items;
            // On a machine known to be slow for this call, the chunk's time at that machine's pace: it straggles from
            // the start, and its backup saves the most if it starts at once (the minimum runtime guards the others).
            var slowPace = SlowPace(entry.Chunk.CallId, copy.Slot, perItem);
            var slowHost = slowPace is not null;
            var overrun = (slowPace * items ?? elapsed) / Math.Max(expected, 1e-9);
            var tooSoon = !slowHost && elapsed < settings.MinimumRuntime.TotalSeconds;
            if (tooSoon || overrun <= settings.Multiplier) continue;
            copy.RunningSince = since;
            stragglers.Add((entry, overrun));
        }
        if (stragglers.Count == 0) return [];
        var slowHosts = stragglers.Select(s => s.Entry.Holder!.Machine).ToHashSet();
        var free = idle.ToList();
        var plan = new List<(InFlight, Slot)>();
        foreach (var (entry, _) in stragglers.OrderByDescending(s => s.Overrun))
        {
            var (first, callId) = (entry.Holder!, entry.Chunk.CallId);
            var perItem = SecondsPerItem(callId, entry.Chunk.Function)!.Value;
            // Never on a machine known to be slow for the call: that copy would straggle too, and hold the chunk's one
            // backup while a fast slot frees up a moment later.
            var best = free.Where(s => s.Process != first.Process)
                .Where(s => SlowPace(callId, s, perItem) is null)
                .OrderBy(s => s.Machine == first.Machine ? 2 : slowHosts.Contains(s.Machine) ? 1 : 0)
                .FirstOrDefault();
            if (best is null) continue;
            free.Remove(best);
            plan.Add((entry, best));
        }
        return plan;
    }

    /// <summary>The seconds per item of the call's chunks on <paramref name="slot"/>'s machine, when that machine has
    /// finished enough of them to be known slower than the call's typical <paramref name="perItem"/> by the multiplier;
    /// else null.</summary>
    private double? SlowPace(long callId, Slot slot, double perItem) =>
        _byHost.TryGetValue((callId, slot.Machine), out var host) && host.Count >= HostSamplesNeeded
            && host.Median() > perItem * settings.Multiplier ? host.Median() : null;

    /// <summary>
    /// How much sooner the chunk ended than its <paramref name="slower"/> copy would have, at that copy's own pace so
    /// far (its time per item since it began). A copy that had finished none of its items is taken to need as long
    /// again as it has run for each item left, its current one included: with nothing else known of a task's length,
    /// the median guess of its remaining time is the time it has run (Gott's principle).
    /// </summary>
    public static TimeSpan Saved(InFlight entry, ChunkCopy slower, long now)
    {
        var since = slower.RunningSince != 0 ? slower.RunningSince : slower.SentAt;
        var elapsed = Stopwatch.GetElapsedTime(since, now).TotalSeconds;
        var done = slower.Reached - slower.StartAt;
        var left = entry.Chunk.Count - slower.Reached;
        return TimeSpan.FromSeconds(Math.Max(0, left * elapsed / Math.Max(done, 1)));
    }

    private static Pace PaceOf<TKey>(Dictionary<TKey, Pace> paces, TKey key) where TKey : notnull =>
        paces.TryGetValue(key, out var pace) ? pace : paces[key] = new Pace();

    /// <summary>The last few chunks' seconds per item.</summary>
    private sealed class Pace
    {
        private readonly double[] _samples = new double[64];
        private int _next;

        public int Count { get; private set; }

        public void Add(double perItem)
        {
            _samples[_next] = perItem;
            _next = (_next + 1) % _samples.Length;
            Count = Math.Min(Count + 1, _samples.Length);
        }

        public double Median()
        {
            var sorted = _samples[..Count];
            Array.Sort(sorted);
            return Count % 2 == 1 ? sorted[Count / 2] : (sorted[Count / 2 - 1] + sorted[Count / 2]) / 2;
        }
    }
}
