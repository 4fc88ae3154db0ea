namespace ClusterPool;

/// <summary>
/// An argument or result that cannot cross a process boundary: a failed item's error, or what <c>Map</c> throws when
/// an item cannot be sent. The message names the type and what to do about it.
/// </summary>
public sealed class PayloadSerializationException : Exception
{
    /// <summary>Creates the exception with a message that names what is wrong.</summary>
    public PayloadSerializationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message that names what is wrong.</summary>
    public PayloadSerializationException(string message, Exception? inner) : base(message, inner) { }

    /// <summary>
    /// True when the payload was refused unread because it names a type that may not cross between processes (a
    /// delegate, a stream, a thread, ...): a crafted or foreign payload rather than a broken one.
    /// </summary>
    public bool TypeRefused { get; internal init; }
}
