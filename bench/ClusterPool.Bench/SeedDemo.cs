using ClusterPool.Worker;

namespace ClusterPool.Demo;

/// <summary>
/// The seed article's demo, shared by <c>clusterpool demo</c> and the bench's <c>seed_demo</c> suite: its task (the
/// same as <c>sleep_task</c> in <c>bench/python/workloads.py</c>) and its eight calls.
/// </summary>
public static class DemoTasks
{
    /// <summary>One of the eight calls of seed_demo.py, on a pool and the demo's data.</summary>
    public delegate IReadOnlyList<(double Seconds, string Text, int Ppid, int Pid)> Method(PoolMethods pool, (double, string)[] data);

    /// <summary>The eight calls of seed_demo.py's <c>methods</c>, in its order, with Python's names .</summary>
    public static readonly (string Name, Method Run)[] Methods =
    [
        ("apply", (pool, data) => data.Select(d => pool.Apply(SleepTask, d.Item1, d.Item2)).ToList()),
        ("apply_async", (pool, data) => data.Select(d => pool.ApplyAsync(SleepTask, d.Item1, d.Item2)).ToList().Select(r => r.Get()).ToList()),
        ("map", (pool, data) => pool.Map(Star, data)),
        ("map_async", (pool, data) => pool.MapAsync(Star, data).Get()),
        ("imap", (pool, data) => pool.IMap(Star, data).ToList()),
        ("imap_unordered", (pool, data) => pool.IMapUnordered(Star, data).ToList()),
        ("starmap", (pool, data) => pool.StarMap(SleepTask, data)),
        ("starmap_async", (pool, data) => pool.StarMapAsync(SleepTask, data).Get()),
    ];



    /// <summary>Waits <paramref name="seconds"/>, then says who ran it: <c>(seconds, text, ppid, pid)</c>.</summary>
    public static (double Seconds, string Text, int Ppid, int Pid) SleepTask(double seconds, string text)
    {
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        return (seconds, text, ParentWatch.GetParentPid(), Environment.ProcessId);
    }

    /// <summary>Python's <c>star(args)</c>: <see cref="SleepTask"/> on one tuple, for Map and IMap.</summary>
    public static (double Seconds, string Text, int Ppid, int Pid) Star((double Seconds, string Text) args) =>
        SleepTask(args.Seconds, args.Text);
}
