namespace ClusterPool.Contracts.Messages;

/// <summary>
/// Coordinator → worker host: register again. A host restarted on the same address and port as a host that died is
/// told "terminated" along with the dead one when the cluster removes that address; the coordinator forgets both and
/// asks. The live one registers again and its slots ask for work; a dead one never hears it.
/// </summary>
internal sealed record Reregister
{
    /// <summary>The one instance.</summary>
    public static readonly Reregister Instance = new();
}
