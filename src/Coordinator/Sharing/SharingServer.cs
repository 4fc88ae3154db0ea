using Akka.Actor;
using ClusterPool.Contracts.Messages;
using ClusterPool.Diagnostics;

namespace ClusterPool.Sharing;

/// <summary>
/// Serves the pool's shared values to its workers, piece by piece (<see cref="FetchShared"/>): a machine that needs a
/// value asks for it once, a few pieces at a time, and its processes share what arrived. Apart from the pool's
/// coordinator, so that a download's pieces never wait behind its dispatching, nor its dispatching behind them.
/// </summary>
internal sealed class SharingServer : ReceiveActor
{
    /// <summary>Its name under <c>/user</c>, where workers find it.</summary>
    public const string Name = Contracts.Sharing.SharedValues.ServerName;

    public static Props Props(SharedStore store, PoolStatus status) =>
        Akka.Actor.Props.Create(() => new SharingServer(store, status));

    public SharingServer(SharedStore store, PoolStatus status)
    {
        Receive<FetchShared>(fetch =>
        {
            if (store.Piece(fetch.Hash, fetch.Offset, fetch.Length) is not { } bytes)
            {
                Sender.Tell(new SharedUnavailable(fetch.Hash));
                return;
            }
            status.SharedBytesSent(bytes.Length);
            Sender.Tell(new SharedPiece(fetch.Hash, fetch.Offset, bytes));
        });
    }
}
