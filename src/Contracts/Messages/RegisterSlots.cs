using Akka.Actor;

namespace ClusterPool.Contracts.Messages;

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
