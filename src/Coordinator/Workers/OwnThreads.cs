using System.Collections.Concurrent;

namespace ClusterPool.Workers;

/// <summary>
/// Parallel.For on threads of its own, the caller's among them. A pool starts in programs whose thread pool is busy
/// (a web app, a test host): there, Parallel.For's helpers wait for free pool threads and the caller runs every
/// launch alone, one after another (a launch takes seconds under Wine); and where the pool has threads, launches held
/// them while Akka's actors, starting at the same time, needed them.
/// </summary>
internal static class OwnThreads
{
    /// <summary>
    /// Runs <paramref name="body"/> <paramref name="count"/> times, at most <paramref name="atOnce"/> at once; returns
    /// when every run has ended. After a run throws, no new run starts (as Parallel.For).
    /// </summary>
    /// <exception cref="AggregateException">Runs threw: each exception.</exception>
    public static void For(int count, int atOnce, Action body)
    {
        var taken = 0;
        var errors = new ConcurrentQueue<Exception>();
        void Run()
        {
            while (errors.IsEmpty && Interlocked.Increment(ref taken) <= count)
            {
                try { body(); }
                catch (Exception e) { errors.Enqueue(e); }
            }
        }
        var helpers = Enumerable.Range(0, Math.Max(1, Math.Min(count, atOnce)) - 1)
            .Select(_ => new Thread(Run) { IsBackground = true, Name = "clusterpool-launch" }).ToList();
        foreach (var helper in helpers) helper.Start();
        Run();
        foreach (var helper in helpers) helper.Join();
        if (!errors.IsEmpty) throw new AggregateException(errors);
    }
}
