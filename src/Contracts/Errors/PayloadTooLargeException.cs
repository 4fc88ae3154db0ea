namespace ClusterPool;

/// <summary>
/// An argument or result larger than one Akka.Remote frame can carry
/// (<c>akka.remote.dot-netty.tcp.maximum-frame-size</c>);
/// the message names both sizes.
/// </summary>
public sealed class PayloadTooLargeException : Exception
{
    /// <summary>Creates the exception with a message that names what is wrong.</summary>
    public PayloadTooLargeException(string message) : base(message) { }
}
