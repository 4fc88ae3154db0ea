using Akka.Configuration;
using ClusterPool.Contracts.Configuration;

namespace ClusterPool.Workers;

/// <summary>How a pool starts and stops its worker processes (<c>clusterpool.local-workers</c>).</summary>
/// <param name="StopGrace">How long a closing pool waits for its workers to exit before it kills them.</param>
/// <param name="StartingAtOnce">Worker processes that start at the same time (a few per core).</param>
/// <param name="GcGen0Size">The workers' gen-0 GC budget in bytes; 0 leaves .NET's own.</param>
/// <param name="Spares">How spares for the program's next pool are kept.</param>
/// <param name="ExitReadTimeout">How long an exited worker's slots wait for what it sent before to be read.</param>
/// <param name="HandOverAbove">Payloads of more bytes than this reach the pool's own workers through memory, not the
/// network (<see cref="Dispatch.PayloadHandOver"/>); 0: none.</param>
internal sealed record LocalWorkerSettings(TimeSpan StopGrace, int StartingAtOnce, long GcGen0Size,
    SpareSettings Spares, TimeSpan ExitReadTimeout, long HandOverAbove)
{
    /// <summary>
    /// Reads the settings, naming any that is missing or malformed. <paramref name="loopback"/>: the pool listens on a
    /// loopback port of its own choosing (no <c>ListenAddress</c>, and no hosts elsewhere to reach it), the only kind
    /// that keeps spares.
    /// </summary>
    public static LocalWorkerSettings Create(Config config, bool loopback) => new(
        PoolConfig.ReadDuration(config, "clusterpool.local-workers.stop-grace"),
        Math.Max(
            2, PoolConfig.ReadPositiveInt(
            config, "clusterpool.local-workers.starting-per-core") * Environment.ProcessorCount),
        PoolConfig.ReadBytes(config, "clusterpool.local-workers.gc-gen0-size", allowZero: true),
        new SpareSettings(
            PoolConfig.ReadDuration(config, "clusterpool.local-workers.spares.keep-for", allowZero: true),
            PoolConfig.ReadNonNegativeInt(config, "clusterpool.local-workers.spares.most"),
            loopback, IdleBelow(config)),
        PoolConfig.ReadDuration(config, "clusterpool.local-workers.exit-read-timeout"),
        PoolConfig.ReadBytes(config, "clusterpool.local-workers.hand-over-above", allowZero: true));

    private static double IdleBelow(Config config)
    {
        const string path = "clusterpool.local-workers.spares.idle-below";
        var share = PoolConfig.ReadNumber(config, path, minimum: 0);
        return share <= 1 ? share : throw new PoolConfigurationException(
            $"setting {path} must be a share of the machine's CPU time, from 0 to 1, not {share}");
    }
}
