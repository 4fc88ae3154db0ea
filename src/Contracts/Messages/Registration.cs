using Akka.Actor;

namespace ClusterPool.Contracts.Messages;

/// <summary>The identity of one assembly a process runs: two processes run the same code when these agree.</summary>
internal sealed record BuildIdentity(string AssemblyName, string Version, Guid ModuleVersionId)
{
    /// <inheritdoc />
    public override string ToString() => $"{AssemblyName} {Version} (build {ModuleVersionId})";
}

/// <summary>Worker host → coordinator: "here are my slots". Sent until the coordinator answers with
/// <see cref="Welcome"/>.</summary>
/// <param name="Host">The worker machine's name, for messages.</param>
/// <param name="Pid">The worker process id.</param>
/// <param name="Slots">One actor per slot; each runs one task at a time.</param>
/// <param name="Build">The application assemblies this worker loaded.</param>
/// <param name="Embedded">Started by the pool itself on its machine: the pool sees the process exit, so it does not
/// watch it over the network (a starved worker on a saturated machine must not be taken for dead).</param>
internal sealed record RegisterSlots(string Host, int Pid, IActorRef[] Slots, BuildIdentity[] Build,
    bool Embedded = false);

/// <summary>Coordinator → worker host: registration accepted, with what every worker process of this pool must
/// do.</summary>
/// <param name="Initializer">Run once per worker process as it starts, before any task (Python's <c>initializer</c>),
/// or null.</param>
/// <param name="InitArgs">The initializer's arguments, serialized (Python's <c>initargs</c>).</param>
/// <param name="MaxTasksPerChild">Tasks (chunks) a worker process runs before it retires and is replaced; 0 for no
/// limit.</param>
/// <param name="MaxMemoryPerChild">Bytes of working set above which a worker process retires after its current task; 0
/// for no limit.</param>
/// <param name="StuckTaskGrace">How long a task may run past its timeout, ignoring its cancelled token, before its
/// worker process is recycled to stop it.</param>
/// <param name="ShutdownGrace">On SIGTERM, how long a worker host may take to finish its running tasks before it hands
/// them back and leaves.</param>
/// <param name="SendResultsEvery">How often a running chunk sends the results it has so far, so a lost worker or
/// coordinator costs at most this much finished work per slot.</param>
internal sealed record Welcome(FunctionRef? Initializer, byte[]? InitArgs, int MaxTasksPerChild, long MaxMemoryPerChild,
    TimeSpan StuckTaskGrace,
    TimeSpan ShutdownGrace, TimeSpan SendResultsEvery);

/// <summary>
/// Worker host → coordinator: this process has done its share (<c>MaxTasksPerChild</c>, <c>MaxMemoryPerChild</c>) and
/// will exit once its running tasks finish; send no more work.
/// </summary>
internal sealed record Retiring(int Pid);

/// <summary>
/// Worker host → coordinator: this process exits now, without finishing what it holds, because a task ignored its
/// timeout and can only be stopped with its process. Every chunk it holds runs again elsewhere, and counts as no
/// loss against those chunks: it was not their fault.
/// </summary>
internal sealed record Recycling(int Pid, string Reason);

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

/// <summary>Coordinator → worker host: stop now and exit (the pool is closing or terminating).</summary>
internal sealed record StopWorker
{
    /// <summary>The one instance.</summary>
    public static readonly StopWorker Instance = new();
}
