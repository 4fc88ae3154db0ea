namespace ClusterPool.Bench;

/// <summary>How an <see cref="SshMachine"/> differs from the default (this box's .NET, the fixture's sshd).</summary>
internal sealed record SshMachineOptions
{
    /// <summary>
    /// Hides this box's .NET from the machine, as on one where it was never installed, for the pool's start on machines
    /// that lack it: an empty tmpfs over /usr/share/dotnet (where /usr/bin/dotnet points) and over ~/.dotnet (where
    /// dotnet-install puts one by default, so an install there lands in the machine, not on this box's disk).
    /// </summary>
    public bool WithoutDotnet { get; init; }

    /// <summary>The per-user cache folder's size in bytes (a tmpfs of its own), for a machine whose disk is full;
    /// null for no limit but the home's.</summary>
    public long? CacheBytes { get; init; }

    /// <summary>
    /// More sshd_config lines, after the fixture's own: for settings it does not make (MaxStartups, MaxSessions, a
    /// Match block). sshd keeps the first value it reads for an option, so they cannot change one the fixture sets.
    /// </summary>
    public IReadOnlyList<string> ExtraConfig { get; init; } = [];
}
