namespace ClusterPool.Dispatch;

/// <summary>A reply that says "done".</summary>
internal sealed record Done
{
    public static readonly Done Instance = new();
}
