namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Runs the payload serializer both ways over plain values (a row of numbers, text and null; arrays of numbers, of
/// text, and of a value tuple), so that a process's first call does not wait while Hyperion builds its readers and
/// writers for them: the arguments of a worker's first task took 34 ms to read without it, and a new pool's first call
/// waits on the pool's side for the same. The tuple warms what every struct of fields takes (an array of
/// <c>(double, string)</c>, StarMap's shape, then read in 4-6 ms instead of 8-18). Only .NET's own types: no code of
/// the app runs. Once per process.
/// </summary>
internal static class PayloadWarmUp
{
    private static int _started;

    /// <summary>Warms up on this thread (a spare, which has nothing else to do); at most once per process.</summary>
    public static void Run()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) return;
        try
        {
            foreach (var payload in new Array[] { new object?[] { new object?[] { 1, 2L, 0.5, "a", null } },
                new[] { 1 }, new[] { 1L }, new[] { 0.5 }, new[] { "a" }, new[] { (1, "a") } })
                PayloadSerializer.Deserialize<Array>(PayloadSerializer.Serialize(payload, "a warm-up"), "a warm-up");
        }
        catch (Exception) { /* a warm-up only: the first call builds what it needs */ }
    }

    /// <summary>Warms up on a thread of its own, while the process waits for its pool or its workers (not on the thread
    /// pool, which a starting actor system needs); no thread once it has run (every later pool of a program).</summary>
    public static void Start()
    {
        if (Volatile.Read(ref _started) == 0)
            new Thread(Run) { IsBackground = true, Name = "clusterpool payload warm-up" }.Start();
    }
}
