using Akka.Actor;

namespace ClusterPool.Contracts.Messages;

/// <summary>The identity of one assembly a process runs: two processes run the same code when these agree.</summary>
public sealed record BuildIdentity(string AssemblyName, string Version, Guid ModuleVersionId)
{
    /// <inheritdoc />
    public override string ToString() => $"{AssemblyName} {Version} (build {ModuleVersionId})";
}

/// <summary>Worker host → coordinator: "here are my slots". Sent until the coordinator answers with <see cref="Welcome"/>.</summary>
/// <param name="Host">The worker machine's name, for messages.</param>
/// <param name="Pid">The worker process id.</param>
/// <param name="Slots">One actor per slot; each runs one task at a time.</param>
/// <param name="Build">The application assemblies this worker loaded.</param>
public sealed record RegisterSlots(string Host, int Pid, IActorRef[] Slots, BuildIdentity[] Build);

/// <summary>Coordinator → worker host: registration accepted, with what every worker process of this pool must do.</summary>
/// <param name="Initializer">Run once per worker process before its first task (Python's <c>initializer</c>), or null.</param>
/// <param name="InitArgs">The initializer's arguments, serialized (Python's <c>initargs</c>).</param>
/// <param name="MaxTasksPerChild">Tasks (chunks) a worker process runs before it retires and is replaced; 0 for no limit.</param>
public sealed record Welcome(FunctionRef? Initializer, byte[]? InitArgs, int MaxTasksPerChild);

/// <summary>Worker host → coordinator: this process has done its share (<c>MaxTasksPerChild</c>) and will exit; send no more work.</summary>
public sealed record Retiring(int Pid);

/// <summary>Coordinator → worker host: stop now and exit (the pool is closing or terminating).</summary>
public sealed record StopWorker
{
    /// <summary>The one instance.</summary>
    public static readonly StopWorker Instance = new();
}
