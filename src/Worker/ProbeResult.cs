namespace ClusterPool.Worker;

/// <summary>What a TCP connection attempt to the coordinator's port says about it.</summary>
internal enum ProbeResult
{
    /// <summary>Something listens there: the coordinator (or a new one) is up.</summary>
    Answered,
    /// <summary>The machine answered that nothing listens: the coordinator's process is gone.</summary>
    Refused,
    /// <summary>No answer: the network is cut or the machine is down; the coordinator may come back.</summary>
    NoAnswer,
}
