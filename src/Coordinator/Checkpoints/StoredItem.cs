namespace ClusterPool.Checkpoints;

/// <summary>One result on its way to the checkpoint file.</summary>
internal readonly record struct StoredItem(string Call, long Index, long ArgumentHash, object? Value);
