namespace ClusterPool.Contracts.Serialization;

/// <summary>A payload holds a type that may not cross between processes; the message names the type and why.</summary>
internal sealed class RefusedTypeException(string message) : Exception(message);
