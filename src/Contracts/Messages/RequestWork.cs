namespace ClusterPool.Contracts.Messages;

/// <summary>Slot → coordinator: "I can take this many more chunks." Sent when a slot starts and after it hands work
/// back.</summary>
internal sealed record RequestWork(int Capacity);
