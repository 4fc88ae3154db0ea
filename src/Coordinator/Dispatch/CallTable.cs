using ClusterPool.Calls;

namespace ClusterPool.Dispatch;

/// <summary>The calls the coordinator runs now, by id. Plain class, driven by the coordinator actor only.</summary>
internal sealed class CallTable
{
    private readonly Dictionary<long, Call> _calls = [];

    /// <summary>Calls running now.</summary>
    public int Count => _calls.Count;

    /// <summary>Calls running now that ask for backup copies of straggling chunks.</summary>
    public int Speculative { get; private set; }

    /// <summary>The calls' ids.</summary>
    public IEnumerable<long> Ids => _calls.Keys;

    public void Add(Call call)
    {
        _calls[call.Id] = call;
        if (call.Settings.Speculative) Speculative++;
    }

    /// <summary>The call, finished or not; null once it was forgotten.</summary>
    public Call? Find(long id) => _calls.GetValueOrDefault(id);

    /// <summary>The call while it still takes results; null once it finished or was forgotten.</summary>
    public Call? Unfinished(long id) => Find(id) is { Finished: false } call ? call : null;

    public void Remove(long id)
    {
        if (_calls.Remove(id, out var call) && call.Settings.Speculative) Speculative--;
    }

    /// <summary>Fails every call with the error <paramref name="reason"/> gives for it, and forgets them all.</summary>
    public void FailAll(Func<Call, Exception> reason)
    {
        foreach (var call in _calls.Values.ToList()) call.Fail(reason(call));
        _calls.Clear();
        Speculative = 0;
    }
}
