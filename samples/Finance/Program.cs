using ClusterPool;
using ClusterPool.Samples.Finance;

// dotnet run --project samples/Finance -- [--companies N] [--db FILE] [--checkpoint FILE] [--processes N] [--work-ms N] [--dashboard HOST:PORT]
// Ctrl+C stops it cleanly (exit code 130); run the same command again with --checkpoint to finish the rest.
try
{
    var settings = FinanceSettings.FromArgs(args);
    return PoolProgram.Run(() => FinanceSample.Run(settings));
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"finance: {e.Message}");
    return 2;
}
