using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Contracts.Sharing;

namespace ClusterPool.Sharing;

/// <summary>
/// The values a pool shares (<see cref="Pool.Share{T}(T)"/>), by hash: the bytes its workers fetch, once per machine,
/// and how many of the program's handles still hold each. Thread-safe: the program's threads add and release, the
/// sharing server reads.
/// </summary>
internal sealed class SharedStore : ISharedOwner
{
    /// <summary>A shared value: its bytes (a serialized value's, or an array's elements), and its live
    /// handles.</summary>
    private sealed class Entry(SharedKey key, Array data)
    {
        public SharedKey Key { get; } = key;
        public Array Data { get; } = data;
        public int Handles;
        public object? Read; // the value read back, for a handle that came back from a task
    }

    private readonly Dictionary<string, Entry> _entries = [];
    private readonly Lock _lock = new();
    private readonly Action<string> _forget;
    private bool _open = true;

    /// <param name="forget">Tells the workers that a value was freed (by its hash).</param>
    public SharedStore(Action<string> forget)
    {
        _forget = forget;
        ProgramSharedValues.Add(this);
    }

    public bool IsOpen
    {
        get { lock (_lock) return _open; }
    }

    /// <summary>Serializes <paramref name="value"/> once and keeps its bytes for the workers.</summary>
    public Shared<T> Add<T>(T value)
    {
        var bytes = PayloadSerializer.Serialize(value, $"the value given to Share ({typeof(T).Name})");
        return new Shared<T>(Keep(bytes, bytes.LongLength, raw: false, element: null), value, this);
    }

    /// <summary>Copies <paramref name="values"/> once and keeps the copy for the workers.</summary>
    public SharedArray<T> Add<T>(T[] values) where T : unmanaged
    {
        var copy = values.ToArray(); // the value as it is now, as Python's pickling of initargs takes it
        return new SharedArray<T>(Keep(copy, (long)copy.Length * Unsafe.SizeOf<T>(), raw: true, typeof(T)), copy,
            this);
    }

    /// <summary>
    /// Keeps <paramref name="data"/> under the hash of its bytes and, for an array, of its element type (a
    /// <c>double[]</c> and a <c>long[]</c> of the same bytes are two values; a serialized value names its types).
    /// </summary>
    private SharedKey Keep(Array data, long bytes, bool raw, Type? element)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (long offset = 0; offset < bytes; offset += HashPiece)
            hash.AppendData(Bytes(data, offset, (int)Math.Min(HashPiece, bytes - offset)));
        if (element is not null) hash.AppendData(System.Text.Encoding.UTF8.GetBytes(element.FullName!));
        var key = new SharedKey(Convert.ToHexStringLower(hash.GetHashAndReset()), bytes, raw);
        lock (_lock)
        {
            if (!_open) throw new InvalidOperationException("Share needs a running pool: this one has stopped");
            if (!_entries.TryGetValue(key.Hash, out var entry)) _entries[key.Hash] = entry = new Entry(key, data);
            entry.Handles++;
            return entry.Key;
        }
    }

    private const int HashPiece = 1 << 20;

    /// <summary>The bytes of <paramref name="data"/> (an array of unmanaged elements) from
    /// <paramref name="offset"/>.</summary>
    private static ReadOnlySpan<byte> Bytes(Array data, long offset, int length) => MemoryMarshal.CreateReadOnlySpan(
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(data), (nint)offset), length);

    /// <summary>
    /// A copy of <paramref name="length"/> bytes of the value named by <paramref name="hash"/> from
    /// <paramref name="offset"/>, cut to its end; null when the pool holds no such value (disposed, closed, or a hash
    /// from another pool).
    /// </summary>
    public byte[]? Piece(string hash, long offset, int length)
    {
        Entry? entry;
        lock (_lock) _entries.TryGetValue(hash, out entry);
        if (entry is null || offset < 0 || offset > entry.Key.Bytes || length < 0) return null;
        return Bytes(entry.Data, offset, (int)Math.Min(length, entry.Key.Bytes - offset)).ToArray();
    }

    public void Release(SharedKey key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key.Hash, out var entry) || --entry.Handles > 0) return;
            _entries.Remove(key.Hash);
        }
        _forget(key.Hash);
    }

    /// <summary>
    /// The pool ends, its local workers stopped: every value is freed. The copies on this machine that no live process
    /// uses go now (workers killed at a terminate could not tidy up); a remote machine's go with its worker processes,
    /// or, after a kill, when a worker next uses its folder.
    /// </summary>
    public void Clear(string? localFolder)
    {
        string[] hashes;
        lock (_lock)
        {
            _open = false;
            hashes = [.. _entries.Keys];
            _entries.Clear();
        }
        ProgramSharedValues.Remove(this);
        if (localFolder is null || !Directory.Exists(localFolder)) return;
        foreach (var hash in hashes) ShareUsers.Leave(Path.Combine(localFolder, hash));
    }

    /// <summary>The value named by <paramref name="key"/>, read back once; false when this pool does not hold
    /// it.</summary>
    public bool TryRead<T>(SharedKey key, out T value)
    {
        Entry? entry;
        lock (_lock) _entries.TryGetValue(key.Hash, out entry);
        if (entry is null)
        {
            value = default!;
            return false;
        }
        lock (entry) value = (T)(entry.Read ??= PayloadSerializer.Deserialize<T>((byte[])entry.Data, key.Describe())!);
        return true;
    }

    /// <summary>The array named by <paramref name="key"/>; null when this pool does not hold it.</summary>
    public T[]? TryMap<T>(SharedKey key) where T : unmanaged
    {
        lock (_lock) return _entries.TryGetValue(key.Hash, out var entry) ? entry.Data as T[] : null;
    }
}
