namespace ClusterPool.Dispatch;

/// <summary>
/// What each worker host has done for the pool (items, workers lost), kept by the address its workers talk from, and
/// turned with the slots registered now into <see cref="PoolStatistics.Hosts"/>. Plain class, driven by the coordinator
/// actor only.
/// </summary>
internal sealed class HostTally
{
    private readonly Dictionary<string, (string Name, long Done, int Lost)> _byAddress = [];

    public void ItemsDone(Slot slot, long count)
    {
        var key = slot.Machine;
        var (_, done, lost) = _byAddress.GetValueOrDefault(key);
        _byAddress[key] = (slot.Host, done + count, lost);
    }

    public void WorkerLost(Slot slot)
    {
        var key = slot.Machine;
        var (_, done, lost) = _byAddress.GetValueOrDefault(key);
        _byAddress[key] = (slot.Host, done, lost + 1);
    }

    /// <summary>Every host that has slots now or did work before, busiest first.</summary>
    public List<HostStatistics> Snapshot(IEnumerable<Slot> slots)
    {
        var live = slots.GroupBy(s => s.Machine).ToDictionary(g => g.Key, g => g.ToList());
        return [.. live.Keys.Union(_byAddress.Keys).Select(address =>
        {
            var here = live.GetValueOrDefault(address) ?? [];
            var (name, done, lost) = _byAddress.GetValueOrDefault(address);
            return new HostStatistics(here.FirstOrDefault()?.Host ?? name ?? address, address,
                here.Select(s => s.Pid).Distinct().Count(),
                here.Count, here.Count(s => s.Held.Count > 0), done, lost);
        }).OrderByDescending(h => h.ItemsDone).ThenBy(h => h.Address, StringComparer.Ordinal)];
    }
}
