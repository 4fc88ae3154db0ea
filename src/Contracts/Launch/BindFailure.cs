using System.Net.Sockets;

namespace ClusterPool.Contracts.Launch;

/// <summary>
/// Why a node could not listen where it was told to, in words that name the address and the option that gave it.
/// Akka reports a failed bind as exceptions nested several deep ("Cannot assign requested address" at the bottom of
/// about 70 lines); the cause is always a <see cref="SocketException"/> somewhere inside.
/// </summary>
internal static class BindFailure
{
    /// <summary>
    /// What is wrong with listening on <paramref name="address"/> when <paramref name="error"/>, or an exception inside
    /// it, is a socket's refusal to bind; else null. <paramref name="option"/> names what gave the address, or its port
    /// when it is in use; <paramref name="hostOption"/>, when given, what gave its host, for an address that is not
    /// this machine's.
    /// </summary>
    public static string? Describe(Exception error, string address, string option, string? hostOption = null) =>
        SocketErrorIn(error) switch
        {
            SocketError.AddressAlreadyInUse =>
                $"cannot listen on {address} ({option}): the address is in use, another process listens there " +
                "(another pool or worker host given the same port?)",
            SocketError.AddressNotAvailable =>
                $"cannot listen on {address} ({hostOption ?? option}): it is not an address of this machine",
            _ => null,
        };

    /// <summary>
    /// True when <paramref name="error"/> holds a bind refused because the address is in use or not this machine's:
    /// what <see cref="Describe"/> puts in words.
    /// </summary>
    public static bool IsRefusedBind(Exception error) =>
        SocketErrorIn(error) is SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable;

    /// <summary>True when <paramref name="error"/> holds a bind refused because another socket listens
    /// there.</summary>
    public static bool IsAddressInUse(Exception error) => SocketErrorIn(error) is SocketError.AddressAlreadyInUse;

    /// <summary>The error of the first <see cref="SocketException"/> in <paramref name="error"/> or inside
    /// it.</summary>
    private static SocketError? SocketErrorIn(Exception error)
    {
        var pending = new Stack<Exception>([error]);
        while (pending.TryPop(out var current))
        {
            if (current is SocketException socket) return socket.SocketErrorCode;
            if (current is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions) pending.Push(inner);
            else if (current.InnerException is { } inner) pending.Push(inner);
        }
        return null;
    }
}
