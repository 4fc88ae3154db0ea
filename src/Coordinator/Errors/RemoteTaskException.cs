namespace ClusterPool;

/// <summary>
/// A task failed on a worker with an exception whose type cannot be re-created here (it does not load, or has no
/// constructor that takes a message). Carries the remote type, message and stack trace as text.
/// </summary>
public sealed class RemoteTaskException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteTaskException(string remoteType, string message, string remoteStackTrace)
        : base($"{remoteType}: {message}")
    {
        RemoteType = remoteType;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>The remote exception's type name.</summary>
    public string RemoteType { get; }

    /// <summary>The stack trace text from the worker.</summary>
    public string RemoteStackTrace { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{base.ToString()}{Environment.NewLine}--- remote stack trace ---{Environment.NewLine}{RemoteStackTrace}";
}
