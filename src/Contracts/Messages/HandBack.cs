namespace ClusterPool.Contracts.Messages;

/// <summary>Slot → coordinator: chunks the slot received but will not run (it is retiring or stopping): run them
/// elsewhere.</summary>
/// <param name="Chunks">The chunks, as the slot received them.</param>
/// <param name="HandOverFailure">Set when the slot could not read a payload handed over through memory
/// (<see cref="Chunk.PayloadFile"/>): why, for the pool's log; the pool then sends payloads over the network
/// only.</param>
internal sealed record HandBack(Chunk[] Chunks, string? HandOverFailure = null);
