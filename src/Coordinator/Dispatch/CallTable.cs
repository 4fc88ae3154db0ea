using ClusterPool.Calls;

namespace ClusterPool.Dispatch;

/// <summary>The calls the coordinator runs now, by id. Plain class, driven by the coordinator actor only.</summary>
internal sealed class CallTable
{
    private readonly Dictionary<long, Call> _calls = [];

    /// <summary>Calls running now.</summary>
    public int Count => _calls.Count;

    /// <summary>The calls' ids.</summary>
    public IEnumerable<long> Ids => _calls.Keys;

    public void Add(Call call) => _calls[call.Id] = call;

    /// <summary>The call, finished or not; null once it was forgotten.</summary>
    public Call? Find(long id) => _calls.GetValueOrDefault(id);

    /// <summary>The call while it still takes results; null once it finished or was forgotten.</summary>
    public Call? Unfinished(long id) => Find(id) is { Finished: false } call ? call : null;

    public void Remove(long id) => _calls.Remove(id);

    /// <summary>Fails every call with the error <paramref name="reason"/> gives for it, and forgets them all.</summary>
    public void FailAll(Func<Call, Exception> reason)
    {
        foreach (var call in _calls.Values.ToList()) call.Fail(reason(call));
        _calls.Clear();
    }
}
