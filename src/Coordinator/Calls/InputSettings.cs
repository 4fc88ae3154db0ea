using Akka.Configuration;
using ClusterPool.Contracts.Configuration;

namespace ClusterPool.Calls;

/// <summary>How a call reads its input ahead (<c>clusterpool.input</c> in <c>hocon/coordinator.hocon</c>).</summary>
/// <param name="WindowChunks">Chunks a call's feeder reads ahead of the workers.</param>
/// <param name="MaxResultsAhead">IMap's read-ahead limit, in results waiting for the caller.</param>
/// <param name="UnknownLengthChunksize">Map's chunksize when the input's length is unknown.</param>
/// <param name="MaxResultBytesAhead">IMap's read-ahead limit, in bytes of results waiting for the caller.</param>
internal sealed record InputSettings(int WindowChunks, int MaxResultsAhead, int UnknownLengthChunksize,
    long MaxResultBytesAhead)
{
    /// <summary>Reads the settings, naming any that is missing or malformed.</summary>
    public static InputSettings Create(Config config) => new(
        PoolConfig.ReadPositiveInt(config, "clusterpool.input.window-chunks"),
        PoolConfig.ReadPositiveInt(config, "clusterpool.input.max-results-ahead"),
        PoolConfig.ReadPositiveInt(config, "clusterpool.input.unknown-length-chunksize"),
        PoolConfig.ReadBytes(config, "clusterpool.input.max-result-bytes-ahead"));
}
