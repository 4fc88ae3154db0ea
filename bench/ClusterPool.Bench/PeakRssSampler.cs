using System.Diagnostics;

namespace ClusterPool.Bench;

/// <summary>
/// The peak working set (RSS on Linux) of this process over a stretch of time, sampled every 20 ms on a background
/// thread. .NET has no <c>ru_maxrss</c> reset, and the process-wide peak would include earlier suites, hence sampling.
/// </summary>
internal sealed class PeakRssSampler : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private readonly Process _self = Process.GetCurrentProcess();
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _peak;

    private PeakRssSampler()
    {
        Sample();
        _thread = new Thread(Loop) { IsBackground = true, Name = "bench RSS sampler" };
        _thread.Start();
    }

    /// <summary>Starts sampling.</summary>
    public static PeakRssSampler Start() => new();

    /// <summary>This process's working set now, in bytes.</summary>
    public static long Current()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    /// <summary>Stops sampling and returns the highest working set seen, in bytes.</summary>
    public long Stop()
    {
        if (!_stopping)
        {
            _stopping = true;
            _thread.Join();
            Sample();
        }
        return Interlocked.Read(ref _peak);
    }

    /// <summary>Stops sampling.</summary>
    public void Dispose()
    {
        Stop();
        _self.Dispose();
    }

    private void Loop()
    {
        while (!_stopping)
        {
            Sample();
            Thread.Sleep(Interval);
        }
    }

    private void Sample()
    {
        _self.Refresh(); // Process caches its figures until refreshed
        var now = _self.WorkingSet64;
        if (now > Interlocked.Read(ref _peak)) Interlocked.Exchange(ref _peak, now);
    }
}
