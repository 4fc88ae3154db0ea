namespace ClusterPool.Tests.EndToEnd;

/// <summary>Functions of the shapes Python's pool takes besides "one argument, one result".</summary>
public static class ShapeFunctions
{
    public static async Task<int> SquareLater(int x)
    {
        await Task.Delay(1);
        return x * x;
    }

    public static async Task<int> FailLater(int x)
    {
        await Task.Yield();
        throw new LedgerException($"ledger {x} failed later");
    }

    public static async ValueTask<string> Greet(string name)
    {
        await Task.Yield();
        return $"hello {name}";
    }

    /// <summary>A lazy sequence: its body must run on the worker, so every pid it yields is the worker's.</summary>
    public static IEnumerable<int> Pids(int count)
    {
        for (var i = 0; i < count; i++) yield return Environment.ProcessId;
    }

    public static async IAsyncEnumerable<int> CountUp(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    public static void Touch(string path) => File.AppendAllText(path, $"{Environment.ProcessId}\n");

    public static string Five(int a, string b, double c, long d, bool e) => $"{a}-{b}-{c}-{d}-{e}";

    public static int Sum6(int a, int b, int c, int d, int e, int f) => a + b + c + d + e + f;
}
