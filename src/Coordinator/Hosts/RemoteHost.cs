namespace ClusterPool.Hosts;

/// <summary>One host of the pool's, and where its worker host is: the <see cref="RemoteHostSpawner"/>'s bookkeeping,
/// changed from its tasks under a lock.</summary>
/// <param name="spec">The host.</param>
/// <param name="session">How its worker host starts.</param>
/// <param name="clock">How long a worker host ran (the system's; tests give their own).</param>
internal sealed class RemoteHost(HostSpec spec, RemoteHostSession session, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>A worker host that ran this long before it ended was no start that failed: the restarts counted
    /// against <c>clusterpool.ssh.restarts</c> begin again, so a run of hours keeps a host that crashes now and then,
    /// and leaves out one that ends at once every time.</summary>
    public static readonly TimeSpan LongRun = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private RemoteHostStatus _status = new(spec.Name, RemoteHostState.Starting, 0, null, 0, 0, 0);
    private StartedHost? _started;
    private long _runningSince;
    private int _restartsInARow;
    private bool _stopped;

    public HostSpec Spec { get; } = spec;

    public RemoteHostSession Session { get; } = session;

    public RemoteHostStatus Status
    {
        get { lock (_lock) return _status; }
    }

    /// <summary>Restarts since its worker host last ran for <see cref="LongRun"/> or more.</summary>
    public int RestartsInARow
    {
        get { lock (_lock) return _restartsInARow; }
    }

    /// <summary>Its worker host runs; false when the pool stopped meanwhile (the caller ends the session).</summary>
    public bool Running(StartedHost started)
    {
        lock (_lock)
        {
            if (_stopped) return false;
            _started = started;
            _runningSince = _clock.GetTimestamp();
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

    /// <summary>Its worker host was lost (crashed, killed, its session cut) and is started again; false when the pool
    /// stops meanwhile (nothing changes).</summary>
    public bool Restarting(string why)
    {
        lock (_lock)
        {
            if (_stopped) return false;
            _started = null;
            _restartsInARow++;
            _status = _status with
            {
                State = RemoteHostState.Restarting, Slots = 0, Failure = why, Restarts = _status.Restarts + 1,
            };
            return true;
        }
    }

    /// <summary>Its worker host retired (<c>MaxTasksPerChild</c>, <c>MaxMemoryPerChild</c>, a stuck task): a fresh
    /// one starts, which is no restart; false when the pool stops meanwhile (nothing changes).</summary>
    public bool Retired()
    {
        lock (_lock)
        {
            if (_stopped) return false;
            _started = null;
            _status = _status with { State = RemoteHostState.Restarting, Slots = 0 };
            return true;
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
            if (_clock.GetElapsedTime(_runningSince) >= LongRun) _restartsInARow = 0;
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
