using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using ClusterPool.Bench;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// kill -9 of local worker processes at random moments while each kind of call runs, on real processes: every result
/// arrives exactly once, no call fails, the pool is back to its size afterwards, and a killed worker's chunk starts
/// again on another worker within a second; and an item that kills its worker every time fails its own call only.
/// Each test owns its pool (or demo) and checks at the end that every worker process it ever had is gone. Moments and victims come from a seeded <see cref="Random"/>: a failure names the seed,
/// and <c>CLUSTERPOOL_KILL_SEED=N</c> replays it.
/// </summary>
public class WorkerKillTests(ITestOutputHelper output)
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigKill = 9, Workers = 3, Kills = 3, Items = 120;

    // The demo's sleeps are 3, 2 and 1 s times this: a kill 0.3-1 s into apply_async lands mid-task on two of its
    // three workers at least. (At scale 2 the demo ran about 55 s, most of this file's time, and proved no more.)
    private const string DemoScale = "1";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(15);
    private static readonly int[] Inputs = [.. Enumerable.Range(0, Items)];
    private static readonly int[] Expected = [.. Inputs.Select(TestFunctions.Tagged)];

    /// <summary>The kinds of call the kills run against.</summary>
    public enum Call { Map, MapAsync, IMap, IMapUnordered, StarMap, ApplyAsync }

    [Theory]
    [InlineData(Call.Map)]
    [InlineData(Call.MapAsync)]
    [InlineData(Call.IMap)]
    [InlineData(Call.IMapUnordered)]
    [InlineData(Call.StarMap)]
    [InlineData(Call.ApplyAsync)]
    public Task KillingThreeWorkersMidCallStillReturnsEveryResultExactlyOnce(Call call) => WithSeed(async random =>
    {
        var pids = new HashSet<int>();
        using (var pool = StartPool(pids))
        {
            try
            {
                // A first call loads the function, so the kills land on running tasks rather than on that loading.
                pool.Map(TestFunctions.SlowTagged, Inputs.Take(Workers), chunksize: 1);
                var clock = Stopwatch.StartNew();
                var run = Start(pool, call);
                var killed = await KillDuring(run, [.. pool.LocalWorkerProcessIds.Order()], random, clock);
                var results = await run.WaitAsync(Patience);
                output.WriteLine($"{call}: {results.Count} results in {clock.Elapsed.TotalSeconds:0.00} s");

                // Fewer kills than planned means the call outran them: the test would prove nothing.
                Assert.True(killed.Count == Kills, $"only {killed.Count} of {Kills} kills landed before {call} finished");
                if (call == Call.IMapUnordered || call == Call.ApplyAsync) Assert.Equal(Expected.Order(), results.Order());
                else Assert.Equal(Expected, results);
                await AssertRecovered(pool, killed);
                Assert.Equal([1, 4, 9, 16, 25, 36], await pool.MapAsync(TestFunctions.Square, [1, 2, 3, 4, 5, 6], chunksize: 1).Task.WaitAsync(Patience));
            }
            finally { pids.UnionWith(pool.LocalWorkerProcessIds); }
        }
        Processes.AssertAllExited(pids);
    });

    [Fact]
    public Task AKilledWorkersChunkStartsAgainOnAnotherWorkerWithinASecond() => WithSeed(async random =>
    {
        var markers = Directory.CreateTempSubdirectory("clusterpool-kill-").FullName;
        var pids = new HashSet<int>();
        try
        {
            var log = new RecordingLogger();
            using (var pool = StartPool(pids, log))
            {
                try
                {
                    var victim = await RerunAfterKill(pool, markers, random);
                    // The kill is said once, as it happens (it was replaced without a word).
                    Assert.Single(log.Warnings(), warning => warning.Contains(
                        $"worker process {victim} exited with code 137: killed (SIGKILL"));
                }
                finally { pids.UnionWith(pool.LocalWorkerProcessIds); }
            }
            Processes.AssertAllExited(pids);
        }
        finally { Directory.Delete(markers, recursive: true); }
    });

    /// <summary>A 2 s item runs; its worker is killed mid-item; the item must start again elsewhere at once.</summary>
    private async Task<int> RerunAfterKill(Pool pool, string markers, Random random)
    {
        const int SlowMillis = 2000;
        pool.Map(TestFunctions.MarkedSleep, Enumerable.Range(100, Workers).Select(i => (markers, i, 300)).ToList(), chunksize: 1);
        var call = pool.MapAsync(TestFunctions.MarkedSleep, [(markers, 0, SlowMillis), (markers, 1, 50), (markers, 2, 50)], chunksize: 1);
        var victim = (await RunnersOf(markers, item: 0, count: 1)).Single();
        await Task.Delay(random.Next(100, 1000)); // mid-item, at a random point of its 2 s
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(0, kill(victim, SigKill));

        var results = await call.Task.WaitAsync(Patience);
        var finishedAfter = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - killedAt;
        var (rerunStart, rerunPid) = results[0];
        var requeue = rerunStart - killedAt;
        output.WriteLine($"killed {victim}; item 0 started again on {rerunPid} {requeue} ms later; the call finished {finishedAfter} ms after the kill");

        Assert.NotEqual(victim, rerunPid);
        Assert.True(requeue <= 1000, $"the killed worker's item started again {requeue} ms after the kill (limit 1000 ms)");
        // The re-run takes the item's 2 s; 3 s more covers the re-queue and a loaded machine, not a missed exit.
        Assert.True(finishedAfter <= SlowMillis + 3000, $"the call finished {finishedAfter} ms after the kill");
        Assert.Equal(new[] { victim, rerunPid }.Order(), Runners(markers, item: 0).Order()); // started twice, no more
        await AssertRecovered(pool, [victim]);
        return victim;
    }

    /// <summary>
    /// worker_death.py's case as ApplyAsync calls, made as the script makes them, on a pool of 2 just started: item 5
    /// kills its worker each time it runs. Its call alone must fail, with <see cref="WorkerLostException"/>; the 19
    /// others must give their results, however their chunks were batched with it.
    /// </summary>
    [Fact]
    public async Task AnItemThatKillsItsWorkerEveryTimeFailsOnlyItsOwnCall()
    {
        const int Calls = 20, Bad = 5;
        var pids = new HashSet<int>();
        var outcomes = new List<string>();
        using (var pool = Pool.Start(new PoolOptions { Processes = 2 }))
        {
            try
            {
                var calls = Enumerable.Range(0, Calls).Select(x => pool.ApplyAsync(Workloads.DieOn, x, Bad)).ToList();
                for (var x = 0; x < Calls; x++)
                {
                    try { outcomes.Add($"{x}: {await calls[x].Task.WaitAsync(Patience)}"); }
                    catch (WorkerLostException e) { outcomes.Add($"{x}: lost ({e.Message})"); }
                }
            }
            finally { pids.UnionWith(pool.LocalWorkerProcessIds); }
        }
        Processes.AssertAllExited(pids);
        output.WriteLine(string.Join("\n", outcomes));
        Assert.Equal(Enumerable.Range(0, Calls).Select(x => x == Bad ? "lost" : $"{x}"), outcomes.Select(o => o.Split(' ')[1]));
    }

    [Fact]
    public Task TheDemoSurvivesAKilledWorkerWithEveryMethodsRightRows() => WithSeed(async random =>
    {
        using var demo = Binaries.Start(Binaries.ClusterPoolCli, ["demo", "--scale", DemoScale, "--json"]);
        var stderr = demo.StandardError.ReadToEndAsync();
        var workers = new HashSet<int>();
        using var watching = new CancellationTokenSource();
        var watcher = WatchWorkers(demo.Id, workers, watching.Token);
        var lines = new List<string>();
        int victim;
        TimeSpan killedAfter;
        try
        {
            // The first line is apply's; apply_async then runs its three tasks (3, 2, 1 s) at once, one per worker, so
            // a kill within 0.9 s of that line hits a worker in the middle of a task. On a loaded machine the kill can come
            // later than planned (in CI once past 2 s): how late it came decides which rows the victim may have finished.
            lines.Add(await demo.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90)) ?? "");
            var sinceApply = Stopwatch.StartNew();
            await Task.Delay(random.Next(300, 900));
            var running = Processes.PoolWorkersOf(demo.Id).Order().ToList();
            Assert.True(running.Count == Workers, $"the demo runs {running.Count} worker processes");
            victim = running[random.Next(running.Count)];
            Assert.Equal(0, kill(victim, SigKill));
            killedAfter = sinceApply.Elapsed;
            output.WriteLine($"killed worker {victim} during apply_async, {killedAfter.TotalSeconds:0.000} s after apply's line");

            while (await demo.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line) lines.Add(line);
            await demo.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(demo.ExitCode == 0, $"exit code {demo.ExitCode}: {await stderr}");
        }
        finally
        {
            await watching.CancelAsync();
            await watcher;
            Processes.KillTree(demo);
        }
        Processes.AssertAllExited(workers);
        AssertDemoRows(lines, demo.Id, workers, victim, killedAfter);
    });

    /// <summary>
    /// Each method's rows are DemoRunner's: <c>[seconds, text, ppid, pid]</c> for the tasks (3, "c"), (2, "b"), (1, "a")
    /// in that order (any order for imap_unordered), run by the demo's own worker processes; after the kill, never by
    /// the killed one - except an apply_async task short enough to have finished before a late kill.
    /// </summary>
    private static void AssertDemoRows(List<string> lines, int demoPid, HashSet<int> workers, int victim, TimeSpan killedAfter)
    {
        var methods = DemoCommandTests.Methods(lines);
        foreach (var method in methods)
        {
            var name = method.GetProperty("method").GetString();
            var rows = method.GetProperty("results").EnumerateArray().ToList();
            var tasks = rows.Select(r => $"{r[0].GetDouble():0.###} {r[1].GetString()}").ToList();
            if (name == "imap_unordered") Assert.Equal(["1 a", "2 b", "3 c"], tasks.Order());
            else Assert.Equal(["3 c", "2 b", "1 a"], tasks);
            Assert.All(rows, r => Assert.Equal(demoPid, r[2].GetInt32()));
            var pids = rows.Select(r => r[3].GetInt32()).ToList();
            Assert.True(pids.All(workers.Contains), $"{name} ran on [{string.Join(", ", pids)}], the demo's workers were [{string.Join(", ", workers)}]");
            // apply_async began before its line was read, so a task of up to killedAfter may have ended before the kill.
            var mustNotHaveFinished = rows.Where(r => name != "apply_async" || r[0].GetDouble() > killedAfter.TotalSeconds);
            if (name != "apply")
                Assert.True(!mustNotHaveFinished.Any(r => r[3].GetInt32() == victim),
                    $"{name} has a row from worker {victim}, killed {killedAfter.TotalSeconds:0.000} s after apply's line, before it could finish");
        }
    }

    /// <summary>Collects the demo's worker pids (replacements included) until cancelled.</summary>
    private static async Task WatchWorkers(int demoPid, HashSet<int> workers, CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            workers.UnionWith(Processes.WorkersOf(demoPid));
            try { await Task.Delay(100, cancel); }
            catch (OperationCanceledException) { }
        }
    }

    private static Pool StartPool(HashSet<int> pids, RecordingLogger? log = null)
    {
        var pool = Pool.Start(new PoolOptions { Processes = Workers, LoggerFactory = log?.Factory() });
        pids.UnionWith(pool.LocalWorkerProcessIds);
        if (pool.WaitUntilReady(Patience)) return pool;
        pool.Dispose();
        throw new TimeoutException($"only {pool.Slots} of {Workers} workers registered within {Patience.TotalSeconds} s");
    }

    /// <summary>Starts <paramref name="call"/> over <see cref="Inputs"/>; the task holds its results as they came.</summary>
    private static Task<IReadOnlyList<int>> Start(Pool pool, Call call) => call switch
    {
        // The blocking calls run on a thread of their own, so a lost result shows as a timeout, not a hung test.
        Call.Map => Task.Run(() => pool.Map(TestFunctions.SlowTagged, Inputs)),
        Call.MapAsync => pool.MapAsync(TestFunctions.SlowTagged, Inputs).Task,
        Call.IMap => Collect(pool.IMap(TestFunctions.SlowTagged, Inputs)),
        Call.IMapUnordered => Collect(pool.IMapUnordered(TestFunctions.SlowTagged, Inputs, chunksize: 4)),
        Call.StarMap => Task.Run(() => pool.StarMap(TestFunctions.SlowTaggedPair, Inputs.Select(x => (x, 0)).ToList())),
        Call.ApplyAsync => ApplyEach(pool),
        _ => throw new ArgumentOutOfRangeException(nameof(call), call, null),
    };

    private static async Task<IReadOnlyList<int>> Collect(IMapIterator<int> iterator)
    {
        using (iterator)
        {
            var results = new List<int>();
            await foreach (var result in iterator) results.Add(result);
            return results;
        }
    }

    /// <summary>One ApplyAsync per item; the results in completion order, so a duplicate could not hide behind an index.</summary>
    private static async Task<IReadOnlyList<int>> ApplyEach(Pool pool)
    {
        var results = new List<int>();
        var calls = Inputs.Select(x => pool.ApplyAsync(TestFunctions.SlowTagged, x, callback: r => { lock (results) results.Add(r); })).ToList();
        await Task.WhenAll(calls.Select(c => c.Task));
        lock (results) return [.. results];
    }

    /// <summary>
    /// Kills each of <paramref name="victims"/> (kill -9), in a random order, 150–450 ms apart, while
    /// <paramref name="run"/> runs; returns those it killed.
    /// </summary>
    private async Task<List<int>> KillDuring(Task run, int[] victims, Random random, Stopwatch clock)
    {
        random.Shuffle(victims);
        var killed = new List<int>();
        foreach (var victim in victims.Take(Kills))
        {
            await Task.Delay(random.Next(150, 450));
            if (run.IsCompleted) break;
            Assert.Equal(0, kill(victim, SigKill));
            killed.Add(victim);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.000} s: killed worker {victim}");
        }
        return killed;
    }

    /// <summary>Waits up to <see cref="Recovery"/> for the pool to have its full size again, none of the killed among them.</summary>
    private async Task AssertRecovered(Pool pool, IReadOnlyCollection<int> killed)
    {
        var clock = Stopwatch.StartNew();
        await Task.Run(() => Wait.For(() => (Recovered: Recovered(pool, killed), Slots: pool.Slots,
                Processes: $"[{string.Join(", ", pool.LocalWorkerProcessIds)}]"), now => now.Recovered, Recovery,
            $"{Workers} registered workers, none of the killed [{string.Join(", ", killed)}]"));
        var live = pool.LocalWorkerProcessIds;
        output.WriteLine($"back to {Workers} registered workers [{string.Join(", ", live)}] {clock.Elapsed.TotalSeconds:0.00} s after the call");
    }

    private static bool Recovered(Pool pool, IReadOnlyCollection<int> killed)
    {
        var live = pool.LocalWorkerProcessIds;
        return live.Count == Workers && pool.Slots == Workers && !live.Any(killed.Contains) && live.All(Processes.IsRunning);
    }

    /// <summary>The pids of the processes that started <paramref name="item"/>, once <paramref name="count"/> of them have.</summary>
    private static async Task<int[]> RunnersOf(string markers, int item, int count)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            var runners = Runners(markers, item);
            if (runners.Length >= count) return runners;
            await Task.Delay(5);
        }
        throw new TimeoutException($"item {item} did not start {count} times within {Patience.TotalSeconds} s");
    }

    /// <summary>The pids of the processes that started <paramref name="item"/> so far (from <see cref="TestFunctions.MarkedSleep"/>'s files).</summary>
    private static int[] Runners(string markers, int item) =>
        [.. Directory.GetFiles(markers, $"{item}-*").Select(f => int.Parse(Path.GetFileName(f).Split('-')[1]))];

    private static int Seed() =>
        Environment.GetEnvironmentVariable("CLUSTERPOOL_KILL_SEED") is { Length: > 0 } given ? int.Parse(given) : Random.Shared.Next();

    /// <summary>Runs <paramref name="test"/> with a seeded Random; a failure's message starts with the seed.</summary>
    private async Task WithSeed(Func<Random, Task> test)
    {
        var seed = Seed();
        output.WriteLine($"seed {seed}");
        try { await test(new Random(seed)); }
        catch (Exception e)
        {
            throw new XunitException($"seed {seed} (replay with CLUSTERPOOL_KILL_SEED={seed}): {e.GetType().Name}: {e.Message}", e);
        }
    }
}
