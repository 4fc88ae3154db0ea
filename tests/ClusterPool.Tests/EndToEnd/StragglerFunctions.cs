namespace ClusterPool.Tests.EndToEnd;

/// <summary>Tasks for <see cref="StragglerTests"/>: run in real worker processes.</summary>
public static class StragglerFunctions
{
    /// <summary>
    /// <paramref name="item"/> sleeps <paramref name="seconds"/>.Normal; the first run of item
    /// <paramref name="seconds"/>.SlowItem (whichever process claims it first, through a file in
    /// <paramref name="folder"/>) sleeps <paramref name="seconds"/>.Slow instead, as on a slow machine, and leaves
    /// <c>slow-done</c> when it wakes. Each run of an item leaves a line in <c>ran-ITEM</c>, so the test sees how often
    /// it ran.
    /// </summary>
    public static int SlowOnce(int item, (int SlowItem, double Slow, double Normal) seconds, string folder)
    {
        var slow = item == seconds.SlowItem && Claim(Path.Combine(folder, "slow-run"));
        Thread.Sleep(TimeSpan.FromSeconds(slow ? seconds.Slow : seconds.Normal));
        File.AppendAllText(Path.Combine(folder, $"ran-{item}"), $"{Environment.ProcessId}\n");
        if (slow) File.WriteAllText(Path.Combine(folder, "slow-done"), "");
        return item * 2;
    }

    /// <summary>
    /// Item 0's first run writes its process id to <c>slow-run</c> in <paramref name="folder"/> and sleeps a minute;
    /// its second run (a backup copy) takes 2 s; every other item 50 ms. Each finished run leaves a line in
    /// <c>ran-ITEM</c>.
    /// </summary>
    public static int SlowFirstThenSteady(int item, string folder)
    {
        var first = item == 0 && Claim(Path.Combine(folder, "slow-run"));
        if (first) File.WriteAllText(Path.Combine(folder, "slow-pid"), $"{Environment.ProcessId}");
        Thread.Sleep(first ? TimeSpan.FromMinutes(1) : item == 0 ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(50));
        File.AppendAllText(Path.Combine(folder, $"ran-{item}"), $"{Environment.ProcessId}\n");
        return item * 2;
    }

    private static bool Claim(string path)
    {
        try
        {
            using var _ = new FileStream(path, FileMode.CreateNew);
            return true;
        }
        catch (IOException) { return false; }
    }
}
