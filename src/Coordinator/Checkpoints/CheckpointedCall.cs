using System.Collections.Concurrent;
using System.Security.Cryptography;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Checkpoints;

/// <summary>
/// One call's side of the checkpoint: the feeder asks it which items are already done (same index, same arguments),
/// and the coordinator gives it each fresh result to store with its arguments' hash.
/// </summary>
internal sealed class CheckpointedCall(CheckpointStore store, string name)
{
    // items sent to workers, until their result is stored
    private readonly ConcurrentDictionary<long, long> _hashes = new();

    public string Name => name;

    /// <summary>The stored results, in item order, for the feeder's walk through the input.</summary>
    public StoredResults OpenStored() => new(store.Read(name).GetEnumerator(), store.Path);

    /// <summary>Remembers the arguments' hash of an item sent to a worker.</summary>
    public void Remember(long index, long argumentHash) => _hashes[index] = argumentHash;

    /// <summary>Stores the results of items <c>firstIndex ..</c> from <c>values[start .. start + count)</c>.</summary>
    public void Store(long firstIndex, Array values, int start, int count)
    {
        for (var i = 0; i < count; i++)
            if (_hashes.TryRemove(firstIndex + i, out var hash))
                store.Store(new StoredItem(name, firstIndex + i, hash, values.GetValue(start + i)));
    }

    /// <summary>A stable hash of an item's arguments (their serialized bytes, in a form that does not change between
    /// versions: <see cref="PayloadSerializer.ArgumentBytes"/>): a changed argument means a changed hash.</summary>
    public static long HashOf(object? arguments)
    {
        var bytes = PayloadSerializer.ArgumentBytes(arguments);
        return BitConverter.ToInt64(SHA256.HashData(bytes), 0);
    }
}
