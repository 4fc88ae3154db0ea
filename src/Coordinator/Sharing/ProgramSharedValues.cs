using ClusterPool.Contracts.Sharing;

namespace ClusterPool.Sharing;

/// <summary>
/// Where a handle that reaches the program's own process (in a task's result, or a task function the program calls
/// itself) is read: in the stores of this process's open pools.
/// </summary>
internal sealed class ProgramSharedValues : ISharedValueSource
{
    private static readonly ProgramSharedValues Instance = new();
    private static readonly List<SharedStore> Stores = [];
    private static readonly Lock Gate = new();

    public static void Add(SharedStore store)
    {
        lock (Gate) Stores.Add(store);
        SharedValues.Install(Instance);
    }

    public static void Remove(SharedStore store)
    {
        lock (Gate) Stores.Remove(store);
    }

    public T Read<T>(SharedKey key)
    {
        foreach (var store in Open())
            if (store.TryRead<T>(key, out var value)) return value;
        throw Gone(key);
    }

    public ReadOnlyMemory<T> Map<T>(SharedKey key) where T : unmanaged
    {
        foreach (var store in Open())
            if (store.TryMap<T>(key) is { } array) return array;
        throw Gone(key);
    }

    private static SharedStore[] Open()
    {
        lock (Gate) return [.. Stores];
    }

    private static ObjectDisposedException Gone(SharedKey key) => new(
        "Shared", $"the {key.Describe()} was disposed (or its pool closed)");
}
