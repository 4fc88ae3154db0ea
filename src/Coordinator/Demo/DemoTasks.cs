using ClusterPool.Worker;

namespace ClusterPool.Demo;

/// <summary>The seed article's task, the same as <c>sleep_task</c> in <c>shared/baselines/python/workloads.py</c>.</summary>
public static class DemoTasks
{
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
