namespace ClusterPool.Hosts;

/// <summary>One file of a <see cref="FileTree"/>.</summary>
/// <param name="Path">Its path in the tree, with <c>/</c>.</param>
/// <param name="Source">Where it is on this machine.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Hash">Its SHA-256, lower-case hex: its name in a host's cache.</param>
/// <param name="Executable">True for a program (the runtime's <c>dotnet</c>, an app's own executable).</param>
internal sealed record TreeFile(string Path, string Source, long Size, string Hash, bool Executable);
