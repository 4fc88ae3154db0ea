namespace ClusterPool.Contracts.Messages;

/// <summary>The identity of one assembly a process runs: two processes run the same code when these agree.</summary>
internal sealed record BuildIdentity(string AssemblyName, string Version, Guid ModuleVersionId)
{
    /// <inheritdoc />
    public override string ToString() => $"{AssemblyName} {Version} (build {ModuleVersionId})";
}
