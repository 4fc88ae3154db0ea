using ClusterPool.Jobs;

namespace ClusterPool.Dispatch;

/// <summary>The calls the coordinator runs now, by id. Plain class, driven by the coordinator actor only.</summary>
internal sealed class JobTable
{
    private readonly Dictionary<long, Job> _jobs = [];

    /// <summary>Calls running now.</summary>
    public int Count => _jobs.Count;

    /// <summary>The calls' ids.</summary>
    public IEnumerable<long> Ids => _jobs.Keys;

    public void Add(Job job) => _jobs[job.Id] = job;

    /// <summary>The call, finished or not; null once it was forgotten.</summary>
    public Job? Find(long id) => _jobs.GetValueOrDefault(id);

    /// <summary>The call while it still takes results; null once it finished or was forgotten.</summary>
    public Job? Unfinished(long id) => Find(id) is { Finished: false } job ? job : null;

    public void Remove(long id) => _jobs.Remove(id);

    /// <summary>Fails every call with the error <paramref name="reason"/> gives for it, and forgets them all.</summary>
    public void FailAll(Func<Job, Exception> reason)
    {
        foreach (var job in _jobs.Values.ToList()) job.Fail(reason(job));
        _jobs.Clear();
    }
}
