namespace ClusterPool.Tests.EndToEnd;

/// <summary>The tasks of <see cref="HandOverTests"/>: big arrays in, big arrays out.</summary>
public static class HandOverFunctions
{
    /// <summary>A price series, the item's own: item <paramref name="item"/>'s values differ from every other's.</summary>
    public static double[] Series(int item, int length) =>
        [.. Enumerable.Range(0, length).Select(i => item * 1e6 + i * 0.25)];

    public static double[] Reversed(double[] values) => [.. values.Reverse()];

    public static double[] SlowlyReversed(double[] values)
    {
        Thread.Sleep(250);
        return Reversed(values);
    }

    /// <summary>
    /// With a folder: waits for a payload another chunk handed over there (the one queued behind this task on its
    /// slot), then deletes every one: a file gone before its worker reads it.
    /// </summary>
    public static double[] DeleteWaitingPayloads((double[] Values, string Folder) item)
    {
        if (item.Folder.Length == 0) return Reversed(item.Values);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Files(item.Folder).Length == 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no chunk queued behind this task handed over a payload in {item.Folder}");
            Thread.Sleep(10);
        }
        foreach (var file in Files(item.Folder)) File.Delete(file);
        return Reversed(item.Values);
    }

    private static string[] Files(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.payload", SearchOption.AllDirectories)];
}
