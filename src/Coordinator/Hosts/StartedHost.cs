namespace ClusterPool.Hosts;

/// <summary>A host whose worker host runs (<see cref="RemoteHostSession"/>).</summary>
/// <param name="Channel">Its session: the worker host's stdin, and its lifeline.</param>
/// <param name="Slots">The slots it was started with.</param>
/// <param name="ShippedBytes">File content shipped to start it (0 when its cache had this build).</param>
/// <param name="ShippedFiles">Files shipped.</param>
internal sealed record StartedHost(SshChannel Channel, int Slots, long ShippedBytes, int ShippedFiles);
