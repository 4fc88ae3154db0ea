using Akka.Configuration;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Sharing;

namespace ClusterPool.Worker.Sharing;

/// <summary>How a worker host keeps and fetches shared values (<c>clusterpool.worker.shared</c>).</summary>
/// <param name="Directory">The machine's folder for them (this user's).</param>
/// <param name="PieceSize">Bytes asked for at a time.</param>
/// <param name="PiecesInFlight">Pieces asked for before the first arrives.</param>
/// <param name="PieceTimeout">How long a piece may take.</param>
internal sealed record SharingSettings(string Directory, int PieceSize, int PiecesInFlight, TimeSpan PieceTimeout)
{
    public static SharingSettings Create(Config config, long frameSize)
    {
        const string path = "clusterpool.worker.shared";
        var piece = PoolConfig.ReadBytes(config, $"{path}.piece-size");
        // room for the message's own fields within the frame
        if (piece > frameSize - 4096) throw new PoolConfigurationException(
            $"setting {path}.piece-size ({piece} bytes) must be below the frame size " +
            $"(akka.remote.dot-netty.tcp.maximum-frame-size, {frameSize} bytes) by 4 KiB");
        return new SharingSettings(SharedFolder.Of(config), (int)piece,
            PoolConfig.ReadPositiveInt(config, $"{path}.pieces-in-flight"),
            PoolConfig.ReadDuration(config, $"{path}.piece-timeout"));
    }
}
