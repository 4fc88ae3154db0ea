namespace ClusterPool;

/// <summary>
/// The checkpoint file holds results of a call with this name made by another function: they are not this call's.
/// Give the call a new name (<c>pool.With(new CallOptions { Name = ... })</c>) or delete the file.
/// </summary>
public sealed class CheckpointMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointMismatchException(string message) : base(message) { }
}
