using Akka.Actor;

namespace ClusterPool.Dispatch;

/// <summary>One worker slot as the coordinator sees it.</summary>
/// <param name="actor">The slot's actor in its worker process.</param>
/// <param name="host">Its machine's name, for messages.</param>
/// <param name="pid">Its worker process's id.</param>
/// <param name="embedded">Its process was started by this pool on its own machine.</param>
internal sealed class Slot(IActorRef actor, string host, int pid, bool embedded = false)
{
    public IActorRef Actor { get; } = actor;
    public string Host { get; } = host;
    public int Pid { get; } = pid;

    /// <summary>Its process was started by this pool on its own machine: big payloads reach it through memory
    /// (<see cref="PayloadHandOver"/>).</summary>
    public bool Embedded { get; } = embedded;

    /// <summary>The machine it runs on, told apart by the address its worker talks from (every local worker is at
    /// 127.0.0.1).</summary>
    public string Machine => Actor.Path.Address.Host ?? "local";

    /// <summary>Its worker process: the address it talks from and its process id.</summary>
    public (Akka.Actor.Address Address, int Pid) Process => (Actor.Path.Address, Pid);

    /// <summary>Chunks sent to this slot and not yet complete.</summary>
    public HashSet<ChunkKey> Held { get; } = [];

    /// <summary>When it last finished or gave up a chunk (a <see cref="System.Diagnostics.Stopwatch"/> timestamp): its
    /// next held chunk began then, if it was there.</summary>
    public long FreedAt { get; set; }

    /// <summary>True once its process said it is retiring: it gets no more work.</summary>
    public bool Retiring { get; set; }

    /// <summary>True while the failure detector cannot hear its host: it gets no work, and what it held runs
    /// elsewhere.</summary>
    public bool Unreachable { get; set; }

    /// <summary>True once its process exited: it gets no work, and is given up once what the process sent before has
    /// been read (<see cref="ExitsInFlight"/>).</summary>
    public bool Exited { get; set; }
}
