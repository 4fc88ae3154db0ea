using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace ClusterPool.Bench;

/// <summary>
/// Issue 13, point 4, tried as a user would: a program runs a Map of 2,000 items of 5–50 ms on 4 workers with a
/// checkpoint; its process (the coordinator) is killed with <c>kill -9</c> at a random moment and the program is run
/// again, which finishes from the checkpoint. Five times. Every task leaves a mark as it starts (naming its process and
/// the time), so the items that had finished before the kill and were computed again on the rerun are counted: the
/// work the crash cost. Results travel to the coordinator at least every second and are stored as they arrive, so that
/// should be about a second per slot (4 × 1 s / 27.5 ms ≈ 145 items), not the chunks that were running (125 items each).
/// </summary>
internal static class CrashSuite
{
    private const int Items = 2000, Workers = 4, Crashes = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>The item's length: 5 to 50 ms, spread evenly over the items, the same in every run.</summary>
    public static int Millis(int item) => 5 + (int)((uint)item * 2654435761u % 46);

    /// <summary>
    /// The program that crashes (<c>bench --crash-run FOLDER</c>, hidden): the Map with a checkpoint in the folder. Exit
    /// code 0 when every result came back in its place.
    /// </summary>
    public static int RunOnce(string folder)
    {
        using var pool = Pool.Start(new PoolOptions { Processes = Workers, Checkpoint = Path.Combine(folder, "run.ckpt.db") });
        var marks = Path.Combine(folder, "marks");
        var results = pool.Map(SoakWorkloads.MarkedSleep, Enumerable.Range(0, Items).Select(i => (marks, i, Millis(i))).ToList());
        return results.Select(r => r.Index).SequenceEqual(Enumerable.Range(0, Items)) ? 0 : 1;
    }

    /// <summary>What one crash cost: results the checkpoint held after the kill, finished items computed again, the rerun's exit code.</summary>
    public sealed record Outcome(long Held, int Recomputed, int RerunExitCode);

    public static IReadOnlyList<Figure> Run(BenchSettings settings, CancellationToken cancel)
    {
        var outcomes = new List<Outcome>();
        for (var crash = 1; crash <= Crashes; crash++)
        {
            cancel.ThrowIfCancellationRequested();
            // A random moment of the Map (about 14 s of work on 4 slots).
            var outcome = CrashAndRerun(TimeSpan.FromSeconds(1 + Random.Shared.NextDouble() * 11));
            outcomes.Add(outcome);
            Console.Error.WriteLine($"bench: crash {crash}: the checkpoint held {outcome.Held} of {Items} results after kill -9 of the coordinator; " +
                                    $"{outcome.Recomputed} items that had finished were computed again on the rerun");
        }
        return
        [
            new("crash", "crashes", Crashes, "count"),
            new("crash", "reruns_incomplete", outcomes.Count(o => o.RerunExitCode != 0), "count"),
            new("crash", "checkpoint_held_min", outcomes.Min(o => o.Held), "count"),
            new("crash", "checkpoint_held_max", outcomes.Max(o => o.Held), "count"),
            new("crash", "recomputed_per_crash_mean", Math.Round(outcomes.Average(o => o.Recomputed), 1), "count"),
            new("crash", "recomputed_per_crash_max", outcomes.Max(o => o.Recomputed), "count"),
        ];
    }

    /// <summary>
    /// Runs the program, kills it with <c>kill -9</c> <paramref name="killAfter"/> after its first task started, and runs it
    /// again to the end from the checkpoint.
    /// </summary>
    public static Outcome CrashAndRerun(TimeSpan killAfter)
    {
        var folder = Directory.CreateTempSubdirectory("clusterpool-bench-crash-").FullName;
        try
        {
            var marks = Directory.CreateDirectory(Path.Combine(folder, "marks")).FullName;
            long killedAt;
            using (var first = StartRun(folder))
            {
                try
                {
                    if (!SpinWait.SpinUntil(() => Directory.EnumerateFiles(marks).Any(), Patience))
                        throw new TimeoutException("the program's Map never started");
                    Thread.Sleep(killAfter);
                    var workers = ProcessStats.Tree(first.Id).Skip(1).ToList();
                    killedAt = Environment.TickCount64;
                    first.Kill(); // SIGKILL, the coordinator alone
                    first.WaitForExit();
                    // Its workers notice the parent is gone and exit by themselves; their marks are all in after that.
                    SpinWait.SpinUntil(() => workers.All(pid => !File.Exists($"/proc/{pid}/stat")), TimeSpan.FromSeconds(10));
                }
                finally { Stop(first); }
            }
            var held = Stored(folder);

            using var again = StartRun(folder);
            try
            {
                if (!again.WaitForExit(Patience)) throw new TimeoutException("the rerun did not finish within 120 s");
                again.WaitForExit(); // its output read to the end
            }
            finally { Stop(again); }
            return new Outcome(held, FinishedAndComputedAgain(marks, killedAt), again.ExitCode);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>Items whose first run had finished before <paramref name="killedAt"/> and that ran again.</summary>
    private static int FinishedAndComputedAgain(string marks, long killedAt) =>
        SoakWorkloads.Marks(marks).GroupBy(run => run.Item, run => run.At)
            .Count(item => item.Count() > 1 && item.Min() + Millis(item.Key) <= killedAt);

    /// <summary>How many results the checkpoint file holds.</summary>
    private static long Stored(string folder)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "run.ckpt.db"), Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM results";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The program, <c>clusterpool bench --crash-run FOLDER</c> (the tool sits beside this assembly); its stderr is passed on.</summary>
    private static Process StartRun(string folder)
    {
        var process = Process.Start(ToolProcess.StartInfo("bench", "--crash-run", folder))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine($"bench: crash: the program says: {line}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Stop(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        process.WaitForExit(5000);
    }
}
