namespace ClusterPool.Contracts.Messages;

/// <summary>Worker process → the pool's sharing server: "send me these bytes of the shared value named by
/// <paramref name="Hash"/>" (one piece of a download its machine needs).</summary>
/// <param name="Hash">The value's hash (<see cref="Sharing.SharedKey.Hash"/>).</param>
/// <param name="Offset">Where the piece starts.</param>
/// <param name="Length">How many bytes it has (below Akka.Remote's frame size).</param>
internal sealed record FetchShared(string Hash, long Offset, int Length);

/// <summary>The sharing server's answer to <see cref="FetchShared"/>: the bytes from
/// <paramref name="Offset"/>.</summary>
internal sealed record SharedPiece(string Hash, long Offset, byte[] Bytes);

/// <summary>The sharing server's answer when the pool holds no value by that hash: it was disposed, its pool closed,
/// or the handle came from another pool.</summary>
internal sealed record SharedUnavailable(string Hash);

/// <summary>Coordinator → every worker host: the value named by <paramref name="Hash"/> was freed; let its copy
/// go.</summary>
internal sealed record ForgetShared(string Hash);
