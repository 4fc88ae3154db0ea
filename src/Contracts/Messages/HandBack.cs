namespace ClusterPool.Contracts.Messages;

/// <summary>Slot → coordinator: chunks the slot received but will not run (it is retiring or stopping): run them
/// elsewhere.</summary>
internal sealed record HandBack(Chunk[] Chunks);
