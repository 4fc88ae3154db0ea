namespace ClusterPool.Hosts;

/// <summary>One host of the pool's, and where its worker host is: the <see cref="RemoteHostSpawner"/>'s bookkeeping,
/// changed from its tasks under a lock.</summary>
internal sealed class RemoteHost(HostSpec spec, RemoteHostSession session)
{
    private readonly Lock _lock = new();
    private RemoteHostStatus _status = new(spec.Name, RemoteHostState.Starting, 0, null, 0, 0, 0);
    private StartedHost? _started;
    private bool _stopped;

    public HostSpec Spec { get; } = spec;

    public RemoteHostSession Session { get; } = session;

    public RemoteHostStatus Status
    {
        get { lock (_lock) return _status; }
    }

    public int Restarts
    {
        get { lock (_lock) return _status.Restarts; }
    }

    /// <summary>Its worker host runs; false when the pool stopped meanwhile (the caller ends the session).</summary>
    public bool Running(StartedHost started)
    {
        lock (_lock)
        {
            if (_stopped) return false;
            _started = started;
            _status = _status with
            {
                State = RemoteHostState.Running, Slots = started.Slots,
                ShippedBytes = _status.ShippedBytes + started.ShippedBytes,
                ShippedFiles = _status.ShippedFiles + started.ShippedFiles,
            };
            return true;
        }
    }

    public void Failed(string why)
    {
        lock (_lock)
        {
            _started = null;
            _status = _status with
            {
                State = _stopped ? RemoteHostState.Stopped : RemoteHostState.Failed, Slots = 0, Failure = why,
            };
        }
    }

    public void Restarting(string why)
    {
        lock (_lock)
        {
            _started = null;
            _status = _status with
            {
                State = RemoteHostState.Restarting, Slots = 0, Failure = why, Restarts = _status.Restarts + 1,
            };
        }
    }

    /// <summary>
    /// Its session ended by itself: true when it was a loss (the caller closes it, and may start the host again);
    /// false when the pool stops, which closes it.
    /// </summary>
    public bool Ended(StartedHost started)
    {
        lock (_lock)
        {
            if (_stopped || !ReferenceEquals(_started, started)) return false;
            _started = null;
            return true;
        }
    }

    /// <summary>The pool stops: a session that ends from now on is no loss (its session stays for
    /// <see cref="Stop"/>).</summary>
    public void BeginStop()
    {
        lock (_lock) _stopped = true;
    }

    /// <summary>Marks it stopped; its session, if it has one, for the caller to close.</summary>
    public SshChannel? Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            if (_status.State is not RemoteHostState.Failed) _status = _status with { State = RemoteHostState.Stopped };
            var channel = _started?.Channel;
            _started = null;
            return channel;
        }
    }
}
