namespace ClusterPool;

/// <summary>Where a host's worker host is (<see cref="RemoteHostStatus"/>).</summary>
public enum RemoteHostState
{
    /// <summary>Connecting, shipping the app, or starting the worker host.</summary>
    Starting,

    /// <summary>Its worker host runs (its slots join the pool as it registers).</summary>
    Running,

    /// <summary>Its worker host ended during the run (its work re-runs elsewhere); it is being started
    /// again.</summary>
    Restarting,

    /// <summary>It cannot run a worker host; <see cref="RemoteHostStatus.Failure"/> says why.</summary>
    Failed,

    /// <summary>The pool stopped it.</summary>
    Stopped,
}
