namespace ClusterPool.Worker;

/// <summary>One option of the worker host's command line, as <c>--help</c> shows it.</summary>
/// <param name="Name">The option, with its dashes (<c>--join</c>).</param>
/// <param name="Value">What its value is (<c>HOST:PORT</c>), or null for a flag.</param>
/// <param name="Description">What it does.</param>
/// <param name="Hidden">Used by pools and supervisors, not by people: left out of <c>--help</c>.</param>
internal sealed record WorkerOption(string Name, string? Value, string Description, bool Hidden = false);
