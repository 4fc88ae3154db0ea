namespace ClusterPool.Tests.EndToEnd;

/// <summary>An exception type of the application's own, to check that workers' exceptions come back as themselves.</summary>
public sealed class LedgerException(string message) : Exception(message);

/// <summary>A user's exception with its own properties, which must reach the caller too.</summary>
public sealed class QuoteException(string message, string symbol, decimal price, Exception? inner = null) : Exception(message, inner)
{
    public string Symbol { get; } = symbol;
    public decimal Price { get; } = price;
}

/// <summary>An exception whose Message getter throws: it must reach the caller and must not kill the worker.</summary>
public sealed class BrokenMessageException : Exception
{
    public override string Message => throw new InvalidOperationException("no message for you");
}

/// <summary>Tasks that start processes of their own, which must not outlive their worker.</summary>
public static class SpawningFunctions
{
    /// <summary>
    /// Starts a sleeping child, and a sleeping grandchild whose parent shell exits at once (an orphan, adopted by
    /// init); returns both pids and the worker's.
    /// </summary>
    public static (int Child, int Orphan, int Worker) StartSleepers(int _)
    {
        var child = System.Diagnostics.Process.Start("sleep", "300")!.Id;
        var shell = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", "sleep 300 >/dev/null 2>&1 & echo $!"])
            { RedirectStandardOutput = true })!;
        var orphan = int.Parse(shell.StandardOutput.ReadLine()!);
        shell.WaitForExit();
        return (child, orphan, Environment.ProcessId);
    }
}

/// <summary>Functions that fail in the ways users' code does: the caller must get exactly what they threw.</summary>
public static class FailingFunctions
{
    public static int NullTicker(int _) => throw new ArgumentNullException("ticker");

    /// <summary>An exception that cannot cross whole (its ActualValue is a native-sized integer).</summary>
    public static int OutOfRangeNative(int x) => throw new ArgumentOutOfRangeException(nameof(x), (nint)x, "must be below 3");

    /// <summary>An exception whose message is <paramref name="chars"/> characters long.</summary>
    public static int ThrowsLong(int chars) => throw new InvalidOperationException(new string('x', chars));

    /// <summary>0.6 s an item; item 0's result is a stream, which cannot be sent back.</summary>
    public static object SlowStreamAtZero(int i)
    {
        Thread.Sleep(600);
        return i == 0 ? new MemoryStream() : i;
    }

    public static int OutOfRange(int x) => throw new ArgumentOutOfRangeException(nameof(x), x, "x must be below 3");

    public static int Quote(int _) =>
        throw new QuoteException("AAPL quote is stale", "AAPL", 189.25m, new TimeoutException("feed timed out"));

    public static int Aggregate(int _) =>
        throw new AggregateException("two feeds failed", new IOException("feed A"), new FormatException("feed B"));

    public static int BrokenMessage(int _) => throw new BrokenMessageException();

    public static int StaticConstructor(int _) => BadStatics.Value;

    private static class BadStatics
    {
        public static readonly int Value = int.Parse("not a number");
    }
}

/// <summary>The functions the end-to-end tests send to worker processes (by reference, as users do).</summary>
public static class TestFunctions
{
    public static int Square(int x) => x * x;

    public static int Add(int a, int b) => a + b;

    public static string Join3(int a, string b, double c) => $"{a}-{b}-{c}";

    public static int Pid(int _) => Environment.ProcessId;

    public static int NoArgs() => 42;

    /// <summary>Sleeps, then returns its input and the worker's pid.</summary>
    public static (double Seconds, int Pid) Sleep(double seconds)
    {
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        return (seconds, Environment.ProcessId);
    }

    /// <summary>
    /// Waits until the file <c>call.Gate</c> exists (at most two minutes), then <see cref="Sleep"/>s: work a test holds
    /// running until it has done what must happen while the work runs, however slow the machine.
    /// </summary>
    public static (double Seconds, int Pid) GatedSleep((string Gate, double Seconds) call)
    {
        var giveUp = DateTime.UtcNow.AddMinutes(2);
        while (!File.Exists(call.Gate) && DateTime.UtcNow < giveUp) Thread.Sleep(10);
        return Sleep(call.Seconds);
    }

    /// <summary>Sleeps 20 to 50 ms (set by <paramref name="x"/>), then returns <see cref="Tagged"/>(x): long enough that a kill lands mid-call.</summary>
    public static int SlowTagged(int x)
    {
        Thread.Sleep(20 + x * 13 % 31);
        return Tagged(x);
    }

    /// <summary><see cref="SlowTagged"/> for StarMap: the item and a second argument that must arrive too.</summary>
    public static int SlowTaggedPair(int x, int offset) => SlowTagged(x) + offset;

    /// <summary>What the slow functions return for item <paramref name="x"/>: distinct per item, so a duplicate or a loss shows.</summary>
    public static int Tagged(int x) => 3 * x + 1;

    /// <summary>
    /// Leaves a file <c>ITEM-PID</c> in <c>call.Dir</c> as it starts (so a test can find and kill the process running
    /// it), sleeps <c>call.Millis</c>, then returns when it started (Unix ms) and in which process.
    /// </summary>
    public static (long StartUnixMs, int Pid) MarkedSleep((string Dir, int Item, int Millis) call)
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        File.WriteAllText(Path.Combine(call.Dir, $"{call.Item}-{Environment.ProcessId}"), $"{start}");
        Thread.Sleep(call.Millis);
        return (start, Environment.ProcessId);
    }

    public static int FailOnThree(int x) => x == 3 ? throw new LedgerException($"ledger {x} does not balance") : x;

    public static int Length(byte[] data) => data.Length;

    public static byte[] Bytes(int count) => new byte[count];

    public static int Accepts(object? value) => value?.GetHashCode() ?? 0;

    public static object ReturnsStream(int _) => new MemoryStream();

    /// <summary>A native-sized integer, inside a tuple as a record would hold one.</summary>
    public static (int Id, nint Offset) NativeInteger(int x) => (x, x);

    private static string? _marker;
    private static int _initializations;

    /// <summary>An initializer given a lookup table, as Python's initargs idiom.</summary>
    public static void LoadTable(byte[] table) => _marker = $"{table.Length}";

    /// <summary>The pool's initializer in the tests: remembers its argument and counts its runs in this process.</summary>
    public static void Initialize(string marker)
    {
        _marker = marker;
        Interlocked.Increment(ref _initializations);
    }

    public static (string? Marker, int Initializations, int Pid) ReadMarker(int _) => (_marker, _initializations, Environment.ProcessId);

    /// <summary>A task that leaves state behind in its worker process (the marker <see cref="ReadMarker"/> reads); returns the pid.</summary>
    public static int SetMarker(string marker)
    {
        _marker = marker;
        return Environment.ProcessId;
    }

    /// <summary>An initializer that leaves a file named after its process in <paramref name="folder"/>.</summary>
    public static void MarkStarted(string folder) => File.WriteAllText(Path.Combine(folder, $"{Environment.ProcessId}"), "");
}

/// <summary>Task functions for the resilience tests: crashes, hangs, cancellation, memory and CPU hogs.</summary>
public static class FaultyFunctions
{
    /// <summary>Kills its own worker process (as a crash or an out-of-memory kill would) on item <paramref name="bad"/>; logs the others.</summary>
    public static int DieOn(int x, int bad, string log)
    {
        if (x == bad) System.Diagnostics.Process.GetCurrentProcess().Kill();
        Thread.Sleep(20);
        TalliedFunctions.Tally(log, x);
        return x;
    }

    /// <summary>Kills its worker on item 5.</summary>
    public static int DieOnFive(int x)
    {
        if (x == 5) System.Diagnostics.Process.GetCurrentProcess().Kill();
        Thread.Sleep(20);
        return x;
    }

    /// <summary>Sleeps, but stops as soon as its token is cancelled (cooperative).</summary>
    public static double SleepCancellable(double seconds, CancellationToken token)
    {
        Task.Delay(TimeSpan.FromSeconds(seconds), token).GetAwaiter().GetResult();
        return seconds;
    }

    /// <summary>Sleeps and ignores any timeout (non-cooperative); returns its worker's pid.</summary>
    public static int SleepStubbornly(double seconds)
    {
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        return Environment.ProcessId;
    }

    /// <summary>Writes "started" to <paramref name="marker"/>, waits for its token, then writes what it saw.</summary>
    public static int WaitForCancel(string marker, CancellationToken token)
    {
        File.WriteAllText(marker, "started");
        var cancelled = token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
        File.WriteAllText(marker, cancelled ? "cancelled" : "never cancelled");
        token.ThrowIfCancellationRequested();
        return 0;
    }

    /// <summary>Logs its start, then sleeps 300 ms unless cancelled.</summary>
    public static int StartAndSleep(int x, string log, CancellationToken token)
    {
        lock (typeof(FaultyFunctions)) File.AppendAllText(log, $"{x}\n");
        Task.Delay(300, token).GetAwaiter().GetResult();
        return x;
    }

    private static readonly List<byte[]> Kept = [];

    /// <summary>Allocates and keeps <paramref name="megabytes"/> MiB (a leak); returns its worker's pid.</summary>
    public static int Leak(int megabytes)
    {
        var block = new byte[megabytes << 20];
        for (var i = 0; i < block.Length; i += 4096) block[i] = 1; // touch it: resident, not just reserved
        Kept.Add(block);
        return Environment.ProcessId;
    }

    /// <summary>Keeps a core busy for <paramref name="seconds"/>; returns its worker's pid.</summary>
    public static int Spin(double seconds)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var x = 0UL;
        while (clock.Elapsed.TotalSeconds < seconds) x = x * 6364136223846793005UL + 1442695040888963407UL;
        return x == 42 ? 0 : Environment.ProcessId;
    }
}

/// <summary>Task functions that say when and where they ran.</summary>
public static class StampedFunctions
{
    /// <summary>Sleeps a second; returns its item, its worker's pid and when it started (Unix ms).</summary>
    public static (int X, int Pid, long StartedMs) SleepASecond(int x)
    {
        var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Thread.Sleep(1000);
        return (x, Environment.ProcessId, started);
    }

    /// <summary>Sleeps <paramref name="seconds"/>, ignoring any token; returns them, its worker's pid and when it started (Unix ms).</summary>
    public static (int X, int Pid, long StartedMs) SleepSeconds(int seconds)
    {
        var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        return (seconds, Environment.ProcessId, started);
    }
}

/// <summary>Task functions that log each run, to count which items a run really computed.</summary>
public static class TalliedFunctions
{
    /// <summary>Logs <c>X</c> in the folder <c>Log</c>, returns its square.</summary>
    public static int Square((int X, string Log) item)
    {
        Tally(item.Log, item.X);
        return item.X * item.X;
    }

    /// <summary>Logs <c>X</c> in the folder <c>Log</c>, returns a matrix and a grid of other values made from it.</summary>
    public static (double[,] Matrix, string[,] Grid) Matrices((int X, string Log) item)
    {
        Tally(item.Log, item.X);
        return (new double[,] { { item.X, 0.5 }, { -item.X, double.NaN } }, new[,] { { $"{item.X}" } });
    }

    /// <summary>
    /// <see cref="Square"/> taking 100 ms: an IMap stopped after 10 of 30 items is then surely stopped half-way (instant
    /// items were all computed before the caller had taken 10).
    /// </summary>
    public static int SquareSlowly((int X, string Log) item)
    {
        Thread.Sleep(100);
        return Square(item);
    }

    /// <summary>The same, for StarMap: logs <paramref name="x"/>, returns x + y.</summary>
    public static int Add(int x, int y, string log)
    {
        Tally(log, x);
        return x + y;
    }

    /// <summary>One file per run (processes appending to one file would lose lines).</summary>
    public static void Tally(string folder, int x) => File.WriteAllText(Path.Combine(folder, $"{x}.{Guid.NewGuid():N}"), "");

    /// <summary>The items tallied in <paramref name="folder"/>, one entry per run; empties the folder.</summary>
    public static List<int> Read(string folder)
    {
        var files = Directory.GetFiles(folder);
        foreach (var file in files) File.Delete(file);
        return files.Select(f => int.Parse(Path.GetFileName(f).Split('.')[0])).ToList();
    }
}
