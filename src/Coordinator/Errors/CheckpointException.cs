namespace ClusterPool;

/// <summary>
/// The checkpoint file (<see cref="PoolOptions.Checkpoint"/>) cannot serve: it cannot be opened or made (a missing
/// folder, a folder, no permission), is not a SQLite database, is another program's database, is damaged, is read-only
/// or is locked by another process. The message names the file, the problem and what to do. Thrown by
/// <c>Pool.Start</c>, by a call as it starts, or by a call whose stored results cannot be read part-way (after the
/// results of every earlier item). An <see cref="IOException"/>.
/// </summary>
public sealed class CheckpointException : IOException
{
    /// <summary>Creates the exception; <paramref name="message"/> names the file and what to do.</summary>
    public CheckpointException(string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>The checkpoint file's full path.</summary>
    public string Path { get; }
}
