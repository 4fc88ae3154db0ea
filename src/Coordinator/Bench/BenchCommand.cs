using System.CommandLine;

namespace ClusterPool.Cli;

/// <summary>The <c>bench</c> command: ClusterPool and Python's multiprocessing.Pool side by side.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Side-by-side benchmarks against Python's multiprocessing.Pool (shared/baselines/python).");
        bench.SetAction(_ => { Console.Error.WriteLine("bench: not built yet"); return 1; });
        return bench;
    }
}
